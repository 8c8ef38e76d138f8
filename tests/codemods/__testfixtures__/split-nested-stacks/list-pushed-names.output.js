// Cleanup functions handed over by name (a helper returns its own cleanup): `defer` takes them
// as the list did.
function tempResource(name) {
  const resource = open(name);
  return { resource, cleanup: () => resource.close() };
}

export function main() {
  {
    using stack = new DisposableStack();
    const { cleanup } = tempResource('a');
    stack.defer(cleanup);
    const second = tempResource('b');
    stack.defer(second.cleanup);
    step('work');
  }
  return 'done';
}
