// Cleanup functions handed over by name (a helper returns its own cleanup): `defer` takes them
// as the list did.
function tempResource(name) {
  const resource = open(name);
  return { resource, cleanup: () => resource.close() };
}

export function main() {
  const cleanups = [];
  try {
    const { cleanup } = tempResource('a');
    cleanups.push(cleanup);
    const second = tempResource('b');
    cleanups.push(second.cleanup);
    step('work');
  } finally {
    while (cleanups.length) cleanups.pop()();
  }
  return 'done';
}
