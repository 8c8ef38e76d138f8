export function main() {
  const value = 'outer';
  trace(value);
  {
    using stack = new DisposableStack();
    const a = stack.adopt(open('a'), (a) => a.close());
    const value = 'inner';
    step(value);
  }
}
