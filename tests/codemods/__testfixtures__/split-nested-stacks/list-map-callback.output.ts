// Registrations made in a `map` callback run on the spot, while the try runs: they move to the
// stack like the others.
export function main() {
  using stack = new DisposableStack();
  const resources = ['a', 'b', 'c'].map((name) => {
    const resource = open(name);
    stack.defer(() => resource.close());
    return resource;
  });
  step('work');
  for (const resource of resources) resource.read();
}
