// A registration hook handed to other code (`(cleanup) => cleanups.push(cleanup)`): what it
// registers, and when, is up to that code, so the scope of those registrations is ambiguous.
function withHooks(setup: (after: (cleanup: () => void) => unknown) => void, after: (cleanup: () => void) => unknown): void {
  setup(after);
}

export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    withHooks(
      (after) => {
        after(() => trace('hook'));
      },
      (cleanup) => cleanups.push(cleanup),
    );
    step('work');
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
  return 'done';
}
