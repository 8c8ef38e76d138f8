export function main() {
  const a = open('a');
  step('between');
  trace('not yet protected');
  using stack = new DisposableStack();
  stack.adopt(a, (a) => a.close());
  a.read();
}
