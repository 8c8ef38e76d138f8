// A release whose error is swallowed (pino's smoke test removes its mkdtempSync directory this
// way): still a release of the value made before the try.
function remove(resource: OracleResource): void {
  resource.close();
}

export function main() {
  const dir = open('dir');
  using stack = new DisposableStack();
  stack.defer(() => {
    try {
      remove(dir);
    } catch {
      trace('cleanup failed');
    }
  });
  dir.read();
  step('body');
}
