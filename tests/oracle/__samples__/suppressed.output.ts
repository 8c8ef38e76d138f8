// Several cleanups in one finally, in reverse acquisition order: when the first throws, the
// input skips the second (a leak); the output must still run it.
export function main(): string {
  const a = open('a');
  const b = open('b');
  {
    using stack = new DisposableStack();
    stack.adopt(a, (a) => a.close());
    stack.adopt(b, (b) => b.close());
    step('body');
  }
  return 'done';
}
