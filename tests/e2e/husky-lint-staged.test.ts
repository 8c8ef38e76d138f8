/**
 * README's husky + lint-staged recipe, run as written (its shell lines and its package.json
 * block) in a throw-away git repository with the packed plugin, then real `git commit`s: one
 * with findings is refused with ESLint's report, a clean one goes through.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { attempt, devDependencyVersion, git, newGitRepository, REPO } from './support.js';

/** Exact versions for the names README's install line gives without one (or with a major only). */
const PINNED: Record<string, string> = {
  eslint: `eslint@${devDependencyVersion('eslint')}`,
  husky: 'husky@9.1.7',
  'lint-staged@16': 'lint-staged@16.3.4',
};

function readmeRecipe(): { shellLines: string[]; packageJson: Record<string, unknown> } {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### husky + lint-staged'));
  const shell = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
  if (!shell || !json) throw new Error('README.md has no husky + lint-staged recipe (```sh and ```json blocks)');
  return { shellLines: shell.trim().split('\n'), packageJson: JSON.parse(json) as Record<string, unknown> };
}

let project = '';

const commit = (message: string): { status: number | null; output: string } => {
  const result = attempt('git', ['commit', '-m', message], { cwd: project, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};
const commitCount = (): number => Number(attempt('git', ['rev-list', '--count', 'HEAD'], { cwd: project }).stdout.trim() || 0);
const stage = (name: string, text: string): void => {
  mkdirSync(join(project, name, '..'), { recursive: true });
  writeFileSync(join(project, name), text);
  git(project, 'add', name);
};

beforeAll(() => {
  const tarball = inject('packedTarball');
  project = newGitRepository('ctx-husky-');
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'ctx-husky', private: true, type: 'module' }, null, 2)}\n`);
  const { shellLines, packageJson } = readmeRecipe();
  for (const line of shellLines) {
    const command = line.startsWith('npm install')
      ? `${line
          .split(' ')
          .map((word) => (word === 'eslint-plugin-ctx' ? tarball : (PINNED[word] ?? word)))
          .join(' ')} --no-audit --no-fund --prefer-offline --loglevel=error`
      : line;
    const result = spawnSync('sh', ['-c', command], { cwd: project, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`README recipe line failed: ${command}\n${result.stdout}\n${result.stderr}`);
  }
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ ...manifest, ...packageJson }, null, 2)}\n`);
  writeFileSync(join(project, '.gitignore'), 'node_modules/\n');
  git(project, 'add', '-A');
  git(project, 'commit', '-q', '--no-verify', '-m', 'husky + lint-staged');
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('husky + lint-staged, as README.md sets them up', () => {
  it('refuses a commit with a finding, with ESLint\'s report', () => {
    const before = commitCount();
    stage('src/silence.ts', 'export function silence(): void {\n  process.stdout.write = () => true;\n}\n');
    const { status, output } = commit('rebinds stdout');
    expect(status).not.toBe(0);
    expect(output).toMatch(/src\/silence\.ts\n\s+2:3\s+error\s+`process\.stdout\.write` is rebound here .*ctx\/no-global-stdout-rebinding/);
    expect(output).toContain('husky - pre-commit script failed');
    expect(commitCount()).toBe(before);
    git(project, 'rm', '-q', '--cached', 'src/silence.ts');
    rmSync(join(project, 'src/silence.ts'));
  }, 300_000);

  it('refuses a commit whose try/finally the codemod would rewrite', () => {
    const before = commitCount();
    stage('read.js', "export function read(open) {\n  const file = open('f');\n  try {\n    return file.read();\n  } finally {\n    file.close();\n  }\n}\n");
    const { status, output } = commit('hand-written cleanup');
    expect(status).not.toBe(0);
    expect(output).toContain('ctx-codemod try-finally-to-using --check');
    expect(commitCount()).toBe(before);
    git(project, 'rm', '-q', '--cached', 'read.js');
    rmSync(join(project, 'read.js'));
  }, 300_000);

  it('lets a clean commit through', () => {
    const before = commitCount();
    stage('src/hello.ts', "export function hello(): void {\n  process.stdout.write('hello\\n');\n}\n");
    const { status, output } = commit('clean');
    expect(status, output).toBe(0);
    expect(commitCount()).toBe(before + 1);
  }, 300_000);
});
