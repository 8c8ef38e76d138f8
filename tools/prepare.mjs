// The package's `prepare` script: builds dist/ with tsc, printing nothing on success.
//
// `prepare` runs in three places: a developer's `npm ci`, `npm pack` / `npm publish`, and every
// install from git (`npm i -D git+…`, and pre-commit, which installs hooks that way). In the
// last case npm 11 under `npm install -g` (pre-commit 4.x) prepares the clone with its settings
// inherited, so the clone's devDependencies go global and `tsc` is not in the clone. Then this
// installs them locally first (`--global=false`), from the lock file, without scripts.
// Nothing here may write to stdout: pre-commit 3.x reads `npm pack`'s stdout as the tarball name.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const toStderr = { cwd: root, stdio: ['ignore', process.stderr, process.stderr] };

if (!existsSync(tsc)) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(
    npm,
    ['ci', '--global=false', '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
    { ...toStderr, shell: process.platform === 'win32' },
  );
}
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], toStderr);
