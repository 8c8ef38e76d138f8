// The run does not empty the list, and it runs on every pass of the loop: the second pass runs
// the first pass's cleanups again. No one scope owns them.
export function main() {
  const cleanups = [];
  for (const name of ['a', 'b']) {
    try {
      const resource = open(name);
      cleanups.push(() => resource.close());
      step(name);
    } finally {
      for (const cleanup of cleanups.reverse()) cleanup();
    }
  }
  return 'done';
}
