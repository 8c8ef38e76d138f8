export function main() {
  using stack = new DisposableStack();
  const conn = stack.adopt(open('conn'), (conn) => conn.close());
  try {
    step('query');
    conn.read();
    return 'ok';
  } catch (error) {
    trace(`caught ${(error as Error).message}`);
    return 'recovered';
  }
}
