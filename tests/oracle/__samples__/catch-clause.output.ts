// A catch clause must run before the cleanup.
export function main(): string {
  {
    using stack = new DisposableStack();
    const a = stack.adopt(open('a'), (a) => a.close());
    try {
      a.read();
      step('body');
    } catch (error) {
      trace(`caught ${(error as Error).name}`);
    }
  }
  return 'done';
}
