// The list is passed to a helper while the try runs: what it registers, and when, is unknown.
function registerTrace(list: Array<() => void>, message: string): void {
  list.push(() => trace(message));
}

export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    registerTrace(cleanups, 'helper');
    step('work');
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
  return 'done';
}
