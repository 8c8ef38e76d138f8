export function main() {
  const conn = open('conn');
  try {
    step('query');
    conn.read();
    return 'ok';
  } catch (error) {
    trace(`caught ${(error as Error).message}`);
    return 'recovered';
  } finally {
    conn.close();
  }
}
