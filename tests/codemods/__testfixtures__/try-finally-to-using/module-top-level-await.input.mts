// Module top level: the converted part is always a block (no body declaration becomes
// module-scoped), and an awaited cleanup may use `await using` there. No `main`: this runs at
// import time, outside the oracle.
const handle = await openAsync('top');
try {
  handle.read();
} finally {
  await handle.closeAsync();
}

export const ready = true;
