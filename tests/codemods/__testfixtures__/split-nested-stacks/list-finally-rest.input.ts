// The finally does more after the run: the stack goes inside the try (it is disposed when the
// try block ends, before the rest of the finally, as the run was), and the rest stays.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    step('work');
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
    trace('finally done');
  }
  return 'done';
}
