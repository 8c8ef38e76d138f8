// `for…of` without `reverse()` runs first-in-first-out, and a loop registers many cleanups.
export function main() {
  const cleanups = [];
  try {
    for (const name of ['a', 'b']) {
      const resource = open(name);
      cleanups.push(() => resource.close());
    }
    step('work');
  } finally {
    for (const cleanup of cleanups) cleanup();
  }
  return 'done';
}
