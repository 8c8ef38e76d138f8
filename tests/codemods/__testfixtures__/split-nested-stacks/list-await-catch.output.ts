// Each cleanup is awaited: an AsyncDisposableStack with `await using`. The catch clause stays
// inside the stack's scope (it ran before the finally), and the try is not the last statement,
// so the stack wraps the try/catch in a block (the wa-sqlite test helper's shape).
export async function main() {
  {
    await using stack = new AsyncDisposableStack();
    try {
      const a = await openAsync('a');
      stack.defer(() => a.closeAsync());
      step('shared');
      const b = await openAsync('b');
      stack.defer(async () => {
        trace('unlock b');
        await b.closeAsync();
      });
      step('exclusive');
    } catch (e) {
      trace('caught');
      throw e;
    }
  }
  return 'ok';
}
