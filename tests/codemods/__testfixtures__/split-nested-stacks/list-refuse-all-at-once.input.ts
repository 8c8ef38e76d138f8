// The cleanups run all at once (`Promise.all`), not one after another: a stack would serialise
// them.
export async function main() {
  const cleanups: Array<() => Promise<void>> = [];
  try {
    const a = await openAsync('a');
    cleanups.push(() => a.closeAsync());
    const b = await openAsync('b');
    cleanups.push(() => b.closeAsync());
    step('work');
  } finally {
    await Promise.all(cleanups.map((cleanup) => cleanup()));
  }
  return 'done';
}
