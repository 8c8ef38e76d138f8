/**
 * Vitest global setup: installs the Node 24 binary that the semantics oracle runs converted code
 * on, when it is missing. It lives here and not in a `prepare` script because `prepare` also
 * runs for every user who installs the package from git, and for pre-commit's hook installs,
 * none of whom need 191 MB of Node. `npm ci && npm test` in a fresh clone still gets it.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const installer = fileURLToPath(new URL('../../tools/node24/install.mjs', import.meta.url));
  execFileSync(process.execPath, [installer], { stdio: 'inherit' });
}
