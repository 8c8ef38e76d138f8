// Awaited async cleanups.
export async function main(): Promise<string> {
  {
    await using stack = new AsyncDisposableStack();
    const a = stack.adopt(await openAsync('a'), async (a) => await a.closeAsync());
    {
      await using stack = new AsyncDisposableStack();
      const b = stack.adopt(await openAsync('b'), async (b) => await b.closeAsync());
      step('body');
    }
    trace('between closes');
  }
  return 'done';
}
