// Registrations made in a `map` callback run on the spot, while the try runs: they move to the
// stack like the others.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const resources = ['a', 'b', 'c'].map((name) => {
      const resource = open(name);
      cleanups.push(() => resource.close());
      return resource;
    });
    step('work');
    for (const resource of resources) resource.read();
  } finally {
    for (const cleanup of [...cleanups].reverse()) cleanup();
  }
}
