// Two nested acquisitions, each released in its own finally.
export function main(): string {
  using stack = new DisposableStack();
  const a = stack.adopt(open('a'), (a) => a.close());
  step('between');
  const b = stack.adopt(open('b'), (b) => b.close());
  a.read();
  b.read();
  step('body');
  return 'done';
}
