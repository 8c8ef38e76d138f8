// An AsyncDisposableStack gets an AsyncDisposableStack.
export async function main() {
  await using stack = new AsyncDisposableStack();
  stack.use(await openAsync('outer-a'));
  {
    await using inner = new AsyncDisposableStack();
    inner.defer(async () => { await Promise.resolve(); trace('inner'); });
    inner.use(await openAsync('b'));
  }
  stack.use(await openAsync('outer-c'));
  return 'done';
}
