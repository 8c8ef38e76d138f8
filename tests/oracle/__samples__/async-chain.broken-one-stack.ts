// Broken on purpose: the inner block's cleanup registered on the outer stack, so `b` is closed
// only when the outer block ends (after 'between closes').
export async function main(): Promise<string> {
  {
    await using stack = new AsyncDisposableStack();
    const a = stack.adopt(await openAsync('a'), async (a) => await a.closeAsync());
    const b = stack.adopt(await openAsync('b'), async (b) => await b.closeAsync());
    step('body');
    trace('between closes');
  }
  return 'done';
}
