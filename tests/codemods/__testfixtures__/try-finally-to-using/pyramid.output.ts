export function main(): string {
  using stack = new DisposableStack();
  const a = stack.adopt(open('a'), (a) => a.close());
  step('after-a');
  const b = stack.adopt(open('b'), (b) => b.close());
  step('after-b');
  const c = stack.adopt(open('c'), (c) => c.close());
  c.read();
  return 'all three';
}
