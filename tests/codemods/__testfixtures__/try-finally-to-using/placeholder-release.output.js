// A do-nothing cleanup replaced once the resource is held (async-mutex's Mutex.runExclusive):
// the `finally` releases whatever was acquired, or nothing.
export async function main() {
  let release = () => undefined;
  using stack = new DisposableStack();
  stack.defer(() => release());
  const resource = await openAsync('lock');
  release = () => resource.close();
  resource.read();
  step('body');
}
