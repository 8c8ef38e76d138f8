// Awaited async cleanups.
export async function main(): Promise<string> {
  const a = await openAsync('a');
  try {
    const b = await openAsync('b');
    try {
      step('body');
    } finally {
      await b.closeAsync();
    }
    trace('between closes');
  } finally {
    await a.closeAsync();
  }
  return 'done';
}
