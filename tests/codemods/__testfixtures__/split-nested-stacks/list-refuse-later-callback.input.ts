// A cleanup registered from a callback that runs later (a promise reaction): whether it is in
// the list when the finally runs depends on timing, so its scope is ambiguous.
export async function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    await Promise.resolve().then(() => {
      cleanups.push(() => trace('late'));
    });
    step('work');
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
  return 'done';
}
