import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A temporary directory made before the try and removed in `finally`: `rmSync` is the release
// function, the directory the value it releases.
export function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctx-fixture-'));
  using stack = new DisposableStack();
  stack.defer(() => trace(`removed: ${!existsSync(dir)}`));
  stack.defer(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'data.txt'), 'x');
  step('body');
}
