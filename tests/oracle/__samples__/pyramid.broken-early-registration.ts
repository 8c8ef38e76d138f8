// Broken on purpose: `b` is acquired before step('between'), so when that step throws, `b`
// is opened (and closed) although the input never opened it.
export function main(): string {
  using stack = new DisposableStack();
  const a = stack.adopt(open('a'), (a) => a.close());
  const b = stack.adopt(open('b'), (b) => b.close());
  step('between');
  a.read();
  b.read();
  step('body');
  return 'done';
}
