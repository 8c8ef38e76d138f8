// Each cleanup runs under its own try/catch: every cleanup runs and errors are swallowed. A
// stack runs every cleanup too but throws a SuppressedError: not the same.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    const b = open('b');
    cleanups.push(() => b.close());
    step('work');
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        cleanup();
      } catch {
        trace('cleanup failed');
      }
    }
  }
  return 'done';
}
