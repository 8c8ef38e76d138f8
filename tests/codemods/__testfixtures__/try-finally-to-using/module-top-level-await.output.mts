{
  await using stack = new AsyncDisposableStack();
  // Module top level: the converted part is always a block (no body declaration becomes
  // module-scoped), and an awaited cleanup may use `await using` there. No `main`: this runs at
  // import time, outside the oracle.
  const handle = stack.adopt(await openAsync('top'), async (handle) => { await handle.closeAsync(); });
  handle.read();
}

export const ready = true;
