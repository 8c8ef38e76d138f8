export function main() {
  const a = open('a');
  const b = open('b');
  using stack = new DisposableStack();
  stack.adopt(b, (b) => b.close());
  // released in acquisition order on purpose: the rewrite keeps this order
  stack.adopt(a, (a) => a.close());
  step('body');
}
