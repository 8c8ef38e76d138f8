// Each cleanup is awaited: an AsyncDisposableStack with `await using`. The catch clause stays
// inside the stack's scope (it ran before the finally), and the try is not the last statement,
// so the stack wraps the try/catch in a block (the wa-sqlite test helper's shape).
export async function main() {
  const cleanup: Array<() => Promise<void>> = [];
  try {
    const a = await openAsync('a');
    cleanup.push(() => a.closeAsync());
    step('shared');
    const b = await openAsync('b');
    cleanup.push(async () => {
      trace('unlock b');
      await b.closeAsync();
    });
    step('exclusive');
  } catch (e) {
    trace('caught');
    throw e;
  }
  finally {
    while (cleanup.length) {
      await cleanup.pop()!();
    }
  }
  return 'ok';
}
