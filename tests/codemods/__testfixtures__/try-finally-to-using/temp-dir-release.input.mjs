import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// A temporary directory made before the try and removed in `finally`: `rmSync` is the release
// function, the directory the value it releases.
export function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctx-fixture-'));
  try {
    writeFileSync(path.join(dir, 'data.txt'), 'x');
    step('body');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    trace(`removed: ${!existsSync(dir)}`);
  }
}
