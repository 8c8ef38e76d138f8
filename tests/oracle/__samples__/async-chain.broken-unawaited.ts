// Broken on purpose: a sync DisposableStack does not wait for the async cleanups.
export async function main(): Promise<string> {
  {
    using stack = new DisposableStack();
    const a = stack.adopt(await openAsync('a'), (a) => void a.closeAsync());
    {
      using stack = new DisposableStack();
      const b = stack.adopt(await openAsync('b'), (b) => void b.closeAsync());
      step('body');
    }
    trace('between closes');
  }
  return 'done';
}
