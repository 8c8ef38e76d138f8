// A lock handing back `[value, release]` (async-mutex's Semaphore): `release` is acquired with
// the value, so calling it in `finally` is a release, not a side effect.
async function acquire(name: string): Promise<[OracleResource, () => void]> {
  const resource = await openAsync(name);
  return [resource, () => resource.close()];
}

export async function main() {
  const [value, release] = await acquire('lock');
  using stack = new DisposableStack();
  stack.defer(() => release());
  value.read();
  step('body');
}
