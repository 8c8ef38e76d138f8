// Broken on purpose: the stack lives inside the try, so the cleanup runs before the catch.
export function main(): string {
  try {
    using stack = new DisposableStack();
    const a = stack.adopt(open('a'), (a) => a.close());
    a.read();
    step('body');
  } catch (error) {
    trace(`caught ${(error as Error).name}`);
  }
  return 'done';
}
