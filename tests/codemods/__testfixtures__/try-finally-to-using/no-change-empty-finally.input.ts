export function main() {
  const a = open('a');
  try {
    step('body');
  } catch {
    trace('caught');
  } finally {
  }
  a.close();
}
