export function main() {
  using stack = new DisposableStack();
  const a = stack.adopt(open('a'), (a) => a.close());
  try {
    using stack = new DisposableStack();
    const b = stack.adopt(open('b'), (b) => b.close());
    step('inner');
  } catch (error) {
    trace('caught');
    throw error;
  }
}
