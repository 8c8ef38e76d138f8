/**
 * One end-to-end suite per real pre-commit release (see pre-commit-3.test.ts and
 * pre-commit-4.test.ts, one file each so that vitest runs them side by side): a user repository
 * pins this repository (a snapshot of the working tree) at a commit with README's
 * `.pre-commit-config.yaml`, `pre-commit install` puts
 * the git hook in place, and real `git commit`s go through the `ctx-lint` and
 * `ctx-codemod-check` hooks.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { attempt, footprint, git, newGitRepository, REPO, run, snapshotRepository } from './support.js';

/** README's `.pre-commit-config.yaml`, pointed at the snapshot instead of the public repository. */
export function readmePreCommitConfig(repo: string, rev: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const block = /```yaml\n(repos:[\s\S]*?id: ctx-lint[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md has no ```yaml block with the ctx-lint hook');
  const pointed = block.replace(/^(\s*- repo:) .*$/m, `$1 ${repo}`).replace(/^(\s*rev:) .*$/m, `$1 ${rev}`);
  if (!pointed.includes(rev) || !pointed.includes(repo)) throw new Error(`README's pre-commit config has no repo/rev lines:\n${block}`);
  return pointed;
}

const PROCESS_REBINDING = `export function silence() {
  process.stdout.write = () => true;
}
`;
const TS_REBINDING = `export function mute(): void {
  console.log = (): void => undefined;
}
`;
const CLEAN = `export function hello(): void {
  process.stdout.write('hello\\n');
}
`;
const CONVERTIBLE_CLEANUP = `export function read(open) {
  const file = open('file');
  try {
    return file.read();
  } finally {
    file.close();
  }
}
`;
/** A user config that turns the rule off for one folder: proves the hook reads the user's config. */
const USER_CONFIG = `import ctx from 'eslint-plugin-ctx';

export default [
  ctx.configs.recommended,
  { files: ['legacy/**'], rules: { 'ctx/no-global-stdout-rebinding': 'off' } },
];
`;

export function definePreCommitSuite(locate: () => { binary: string; version: string }, expectedMajor: number): void {
  let preCommit = '';
  let home = '';
  let user = '';
  let hookRepo = '';
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    PRE_COMMIT_HOME: home,
    // Reuse what npm already has; nothing here needs a fresher copy.
    npm_config_prefer_offline: 'true',
    NO_COLOR: '1',
  });
  const commit = (message: string): { status: number | null; output: string } => {
    const result = attempt('git', ['commit', '-m', message], { cwd: user, env: env() });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const commitCount = (): number => Number(attempt('git', ['rev-list', '--count', 'HEAD'], { cwd: user }).stdout.trim() || 0);
  const stage = (files: Record<string, string>): void => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(user, name, '..'), { recursive: true });
      writeFileSync(join(user, name), text);
    }
    git(user, 'add', '-A');
  };

  beforeAll(() => {
    const tool = locate();
    preCommit = tool.binary;
    expect(tool.version).toMatch(new RegExp(`^pre-commit ${expectedMajor}\\.`));
    const snapshot = snapshotRepository();
    hookRepo = snapshot.dir;
    home = mkdtempSync(join(tmpdir(), 'ctx-pre-commit-home-'));
    user = newGitRepository('ctx-pre-commit-user-');
    writeFileSync(join(user, '.pre-commit-config.yaml'), readmePreCommitConfig(hookRepo, snapshot.rev));
    git(user, 'add', '.pre-commit-config.yaml');
    git(user, 'commit', '-q', '--no-verify', '-m', 'pre-commit config');
    run(preCommit, ['install'], { cwd: user, env: env() });
    // Installing the hook environment is the slow part (npm builds the package from git).
    run(preCommit, ['install-hooks'], { cwd: user, env: env() });
  }, 540_000);

  afterAll(() => {
    for (const dir of [home, user, hookRepo]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe(`pre-commit ${expectedMajor}.x`, () => {
    it('installs the hooks without downloading Node, and keeps its cache small', () => {
      const { mebibytes, hasNodeBinaryPackage } = footprint(home);
      expect(hasNodeBinaryPackage).toBe(false);
      expect(mebibytes).toBeLessThan(150);
    });

    it('refuses a commit with findings in JS and TS, naming file, line and rule', () => {
      const before = commitCount();
      stage({ 'src/silence.js': PROCESS_REBINDING, 'src/mute.ts': TS_REBINDING });
      const { status, output } = commit('rebinds output');
      expect(status).not.toBe(0);
      expect(output).toMatch(/ctx-lint \(ESLint with eslint-plugin-ctx\)\.+Failed/);
      expect(output).toMatch(/src\/silence\.js\n\s+2:3\s+error\s+`process\.stdout\.write` is rebound here .*ctx\/no-global-stdout-rebinding/);
      expect(output).toMatch(/src\/mute\.ts\n\s+2:3\s+error\s+`console\.log` is rebound here .*ctx\/no-global-stdout-rebinding/);
      expect(commitCount()).toBe(before);
      git(user, 'rm', '-q', '--cached', '-r', 'src');
      rmSync(join(user, 'src'), { recursive: true });
    }, 300_000);

    it('refuses a commit whose try/finally the codemod would rewrite', () => {
      const before = commitCount();
      stage({ 'read.js': CONVERTIBLE_CLEANUP });
      const { status, output } = commit('hand-written cleanup');
      expect(status).not.toBe(0);
      expect(output).toMatch(/ctx-codemod try-finally-to-using --check\.+Failed/);
      expect(output).toContain('read.js');
      expect(commitCount()).toBe(before);
      git(user, 'rm', '-q', '--cached', 'read.js');
      rmSync(join(user, 'read.js'));
    }, 300_000);

    it('lets a clean commit through', () => {
      const before = commitCount();
      stage({ 'src/hello.ts': CLEAN });
      const { status, output } = commit('clean');
      expect(output).toMatch(/ctx-lint \(ESLint with eslint-plugin-ctx\)\.+Passed/);
      expect(status, output).toBe(0);
      expect(commitCount()).toBe(before + 1);
    }, 300_000);

    it("honours the repository's eslint.config.js, importing the plugin it has no node_modules for", () => {
      const before = commitCount();
      stage({ 'eslint.config.js': USER_CONFIG, 'legacy/silence.js': PROCESS_REBINDING });
      const passed = commit('legacy code, rule off there by config');
      expect(passed.status, passed.output).toBe(0);
      expect(commitCount()).toBe(before + 1);

      stage({ 'src/silence.js': PROCESS_REBINDING });
      const refused = commit('same code outside legacy/');
      expect(refused.status).not.toBe(0);
      expect(refused.output).toMatch(/src\/silence\.js\n\s+2:3\s+error/);
      expect(refused.output).not.toContain('legacy/silence.js');
      expect(commitCount()).toBe(before + 1);
    }, 300_000);
  });
}
