export function main() {
  using stack = new DisposableStack();
  const a = stack.adopt(open('a'), (a) => a.close());
  const b = stack.use(open('b'));
  step('body');
}
