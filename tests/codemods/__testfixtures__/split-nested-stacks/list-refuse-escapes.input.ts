// The list is kept by other code (stored in a field): it may be run or read there too.
const registry: { pending?: Array<() => void> } = {};

export function main() {
  const cleanups: Array<() => void> = [];
  registry.pending = cleanups;
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    step('work');
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
  return registry.pending === cleanups ? 'kept' : 'lost';
}
