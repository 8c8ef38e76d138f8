import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { applyPatch } from 'diff';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { codemods } from '../../codemods/index.js';
import type { CodemodEntry } from '../../codemods/index.js';
import { shardOf } from '../../codemods/cli/runner.js';
import { makeTempDir, removeDir, repoRoot, runJson, runMain, writeTree } from './helpers.js';

// The conventions codemod users expect from a codemod CLI (issue 10) and the CLI's part of
// issue 8: --diff, refusing to write over uncommitted work, --shard, parse-error lines, the
// transform's text pre-check, --all-sites, the runtime target and the TypeScript lib.

let dir: string;

beforeEach(() => {
  dir = makeTempDir('conventions');
});
afterEach(() => {
  removeDir(dir);
});

function read(name: string): string {
  return readFileSync(path.join(dir, name), 'utf8');
}

describe('--diff', () => {
  const before = 'const a = 1;\nCHANGE_ME();\nconst b = 2;\n';

  it('prints a unified diff that turns each file into what would be written, and writes nothing', async () => {
    writeTree(dir, { 'a.ts': before, 'b.ts': 'same\n', 'crlf.ts': 'x\r\nCHANGE_ME\r\ny' });
    const run = await runMain(['mark', '.', '--diff'], { cwd: dir, env: {} });
    expect(run.exitCode).toBe(0);
    expect(read('a.ts')).toBe(before);
    expect(run.stdout).toContain('--- a/a.ts\n+++ b/a.ts\n@@ -1,3 +1,3 @@\n const a = 1;\n-CHANGE_ME();\n+CHANGED();\n');
    expect(run.stdout).not.toContain('b.ts');
    // Each file's patch applied to the file gives exactly the transform's output, CRLF and a missing final newline included.
    const patches = run.stdout.split(/(?=^--- )/m);
    expect(patches).toHaveLength(2);
    expect(applyPatch(before, patches[0] as string)).toBe(before.replace('CHANGE_ME', 'CHANGED'));
    expect(applyPatch(read('crlf.ts'), patches[1] as string)).toBe('x\r\nCHANGED\r\ny');
    expect(run.stderr).toContain('would change: a.ts (1 converted)');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('colours the diff on a terminal or with FORCE_COLOR, never with NO_COLOR', async () => {
    writeTree(dir, { 'a.ts': before });
    const forced = await runMain(['mark', 'a.ts', '--diff'], { cwd: dir, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[31m-CHANGE_ME();\u001b[39m\n\u001b[32m+CHANGED();\u001b[39m');
    expect(forced.stdout).toContain('\u001b[36m@@ -1,3 +1,3 @@\u001b[39m');
    const tty = await runMain(['mark', 'a.ts', '--diff'], { cwd: dir, env: {}, stdout: { write: () => true, isTTY: true } });
    expect(tty.exitCode).toBe(0);
    const noColour = await runMain(['mark', 'a.ts', '--diff'], { cwd: dir, env: { NO_COLOR: '1' } });
    expect(noColour.stdout).not.toContain('\u001b[');
  });

  it('with --check exits 1; cannot be combined with --json or --print', async () => {
    writeTree(dir, { 'a.ts': before });
    const check = await runMain(['mark', 'a.ts', '--diff', '--check'], { cwd: dir, env: {} });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain('+CHANGED();');
    for (const other of ['--json', '--print']) {
      const run = await runMain(['mark', 'a.ts', '--diff', other], { cwd: dir });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(`option '--diff' cannot be used with option '${other}'`);
    }
    expect(read('a.ts')).toBe(before);
  });
});

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
}

describe('writing over uncommitted work', () => {
  beforeEach(() => {
    writeTree(dir, { 'clean.ts': 'CHANGE_ME\n', 'edited.ts': 'CHANGE_ME\n', 'staged.ts': 'CHANGE_ME\n', 'edited-unchanged.ts': 'nothing\n' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'init');
  });

  it('refuses, writing nothing, when a file it would change has unstaged changes', async () => {
    writeFileSync(path.join(dir, 'edited.ts'), 'CHANGE_ME\n// my work\n');
    const run = await runMain(['mark', '.'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('error: edited.ts (uncommitted-changes)');
    expect(run.stderr).toContain('pass --force');
    expect(read('clean.ts')).toBe('CHANGE_ME\n');
    expect(read('edited.ts')).toBe('CHANGE_ME\n// my work\n');
  });

  it('refuses for an untracked file too, and says so in --json', async () => {
    writeTree(dir, { 'sub/new.ts': 'CHANGE_ME\n' });
    const report = await runJson(['mark', 'sub/new.ts'], { cwd: dir });
    expect(report.exit).toBe(2);
    expect(report.files).toMatchObject([{ file: 'sub/new.ts', status: 'error', reason: 'uncommitted-changes' }]);
    expect(read('sub/new.ts')).toBe('CHANGE_ME\n');
  });

  it('writes when the only changes are staged (a pre-commit hook), or in files it would not change', async () => {
    writeFileSync(path.join(dir, 'staged.ts'), 'CHANGE_ME\n// staged work\n');
    git('add', 'staged.ts');
    writeFileSync(path.join(dir, 'edited-unchanged.ts'), 'still nothing\n');
    const run = await runMain(['mark', '.'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(read('staged.ts')).toBe('CHANGED\n// staged work\n');
    expect(read('clean.ts')).toBe('CHANGED\n');
  });

  it('prints a diff that `git apply` applies, giving what writing in place gives', async () => {
    writeTree(dir, { 'sub/dir/d.ts': 'a\nCHANGE_ME\n' });
    git('add', '.');
    const run = await runMain(['mark', '.', '--diff'], { cwd: dir, env: {} });
    writeFileSync(path.join(dir, 'changes.patch'), run.stdout);
    git('apply', '--check', 'changes.patch');
    git('apply', 'changes.patch');
    expect(read('sub/dir/d.ts')).toBe('a\nCHANGED\n');
    expect(read('clean.ts')).toBe('CHANGED\n');
    const again = await runMain(['mark', '.', '--diff'], { cwd: dir, env: {} });
    expect(again.stdout).toBe('');
  });

  it('writes with --force; --check, --dry, --print and --diff never need it', async () => {
    writeFileSync(path.join(dir, 'edited.ts'), 'CHANGE_ME\n// my work\n');
    for (const mode of ['--check', '--dry', '--print', '--diff']) {
      const run = await runMain(['mark', '.', mode], { cwd: dir, env: {} });
      expect(run.exitCode, mode).toBe(mode === '--check' ? 1 : 0);
    }
    expect(read('edited.ts')).toBe('CHANGE_ME\n// my work\n');
    const forced = await runMain(['mark', '.', '--force'], { cwd: dir });
    expect(forced.exitCode).toBe(0);
    expect(read('edited.ts')).toBe('CHANGED\n// my work\n');
  });
});

describe('--shard i/n', () => {
  it('splits the files so that the shards together are exactly one run', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`src/${i % 3 === 0 ? 'deep/' : ''}f${i}.ts`] = i % 2 === 0 ? 'CHANGE_ME\n' : 'x\n';
    writeTree(dir, { ...files, 'src/broken.ts': '@@syntax-error\n' });
    const whole = await runJson(['mark', 'src', 'missing.ts', '--dry'], { cwd: dir });
    const shards = await Promise.all(
      [1, 2, 3].map((index) => runJson(['mark', 'src', 'missing.ts', '--dry', '--shard', `${index}/3`], { cwd: dir })),
    );
    const seen = shards.flatMap((shard) => shard.files);
    expect(seen).toHaveLength(whole.files.length);
    expect(new Set(seen.map((file) => file.file)).size).toBe(whole.files.length);
    expect([...seen].sort((a, b) => a.file.localeCompare(b.file))).toEqual(
      [...whole.files].sort((a, b) => a.file.localeCompare(b.file)),
    );
    for (const [index, shard] of shards.entries()) {
      expect(shard.shard).toEqual({ index: index + 1, count: 3 });
      // No shard is empty with 32 entries, and each reports only its own files.
      expect(shard.files.length).toBeGreaterThan(0);
      expect(shard.summary.files).toBe(shard.files.length);
    }
    expect(shards.reduce((sum, shard) => sum + shard.summary.changed, 0)).toBe(whole.summary.changed);
    expect(shards.reduce((sum, shard) => sum + shard.summary.errors, 0)).toBe(whole.summary.errors);
  });

  it('is the same split whatever the order of the paths and the machine (a hash of the relative path)', async () => {
    writeTree(dir, { 'a/one.ts': 'CHANGE_ME\n', 'b/two.ts': 'CHANGE_ME\n', 'c/three.ts': 'CHANGE_ME\n' });
    const forward = await runJson(['mark', 'a', 'b', 'c', '--dry', '--shard', '2/2'], { cwd: dir });
    const backward = await runJson(['mark', 'c', 'b', 'a', '--dry', '--shard', '2/2'], { cwd: dir });
    expect(new Set(forward.files.map((file) => file.file))).toEqual(new Set(backward.files.map((file) => file.file)));
    expect(forward.files.map((file) => shardOf(file.file, 2))).toEqual(forward.files.map(() => 2));
    expect(shardOf('src/a.ts', 7)).toBe(shardOf(['src', 'a.ts'].join(path.sep), 7));
  });

  it.each(['0/3', '4/3', '1/0', 'a/b', '2'])('rejects --shard %s, exit 2', async (value) => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const run = await runMain(['mark', '.', '--shard', value], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('expected i/n with 1 <= i <= n');
    expect(read('a.ts')).toBe('CHANGE_ME\n');
  });

  it('names the shard in the text summary', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const run = await runMain(['mark', '.', '--dry', '--shard', '1/1'], { cwd: dir });
    expect(run.stderr).toMatch(/^mark \(shard 1\/1\): 1 file in/m);
  });
});

describe('parse-error lines', () => {
  it('print the location once and escape control characters of the message and the file name', async () => {
    writeTree(dir, { 'a.ts': 'ok\n@@bad-char\n', 'evil\u001b[2J\nname.ts': '@@syntax-error' });
    const run = await runMain(['mark', '.'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    const lines = run.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(lines).toEqual([
      "error: a.ts:2:1 (parse-error): Unexpected character '\\u0007' after \\u001b[2J\\u202e",
      'error: evil\\u001b[2J\\nname.ts:1:1 (parse-error): Unexpected token',
    ]);
    for (const raw of ['\u0007', '\u001b', '\u202e', 'evil\u001b[2J\n']) expect(run.stderr).not.toContain(raw);
    // JSON keeps the raw position fields; the message no longer repeats them.
    const report = await runJson(['mark', 'a.ts'], { cwd: dir });
    expect(report.files[0]).toMatchObject({ line: 2, column: 0, message: "Unexpected character '\u0007' after \u001b[2J\u202e" });
  });

  it('print the location once for the real transform too', async () => {
    writeTree(dir, { 'x.ts': 'try { a( } finally { b(); }\n' });
    const run = await runMain(['try-finally-to-using', 'x.ts', '--dry', '--cpus', '1'], { cwd: dir, transforms: codemods });
    const line = run.stderr.split('\n').find((text) => text.startsWith('error: '));
    expect(line).toMatch(/^error: x\.ts:1:10 \(parse-error\): (?!.*\b1:(9|10)\b).*Unexpected token/);
  });
});

describe("the transform's text pre-check", () => {
  it('never parses a file that cannot match, so a broken one does not fail the run', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n', 'broken-but-irrelevant.ts': 'let x = @@syntax-error\n' });
    const report = await runJson(['mark-ds', '.'], { cwd: dir });
    expect(report.exit).toBe(0);
    expect(report.files).toMatchObject([
      { file: 'a.ts', status: 'changed' },
      { file: 'broken-but-irrelevant.ts', status: 'unchanged', parsed: false },
    ]);
    expect(report.summary).toMatchObject({ notParsed: 1, errors: 0 });
    // The same file through a transform without a pre-check is parsed, and fails.
    expect((await runJson(['mark', '.', '--dry'], { cwd: dir })).exit).toBe(2);
  });

  it('try-finally-to-using declares one: no `finally`, no parse (and no parse error)', async () => {
    writeTree(dir, { 'no-finally.ts': 'let x = ;\n', 'with-finally.ts': 'try { a( } finally { b(); }\n' });
    const report = await runJson(['try-finally-to-using', '.', '--dry', '--cpus', '1'], { cwd: dir, transforms: codemods });
    expect(report.files).toMatchObject([
      { file: 'no-finally.ts', status: 'unchanged', parsed: false },
      { file: 'with-finally.ts', status: 'error', reason: 'parse-error' },
    ]);
    expect(codemods['try-finally-to-using']?.mightMatch?.test('const finallyDone = 1')).toBe(false);
  });

  it("try-finally-to-using's rules out `.finally(…)` calls, never a finally block however it is written", () => {
    const mightMatch = codemods['try-finally-to-using']?.mightMatch as RegExp;
    for (const text of ['p.finally(() => done());', "const word = 'finally';", 'x = { finally: 1 };', 'finallyDone();']) {
      expect(mightMatch.test(text), text).toBe(false);
    }
    for (const text of ['try{a()}finally{b()}', 'try {} finally /* why */ {}', 'try {} finally // why\n{}', 'try {}\nfinally\n\t{}', 'try {} finally\u00a0{}']) {
      expect(mightMatch.test(text), text).toBe(true);
    }
  });

  it("try-finally-to-using's never rules out a fixture with a site, converted or refused", () => {
    const fixtures = path.join(repoRoot, 'tests', 'codemods', '__testfixtures__', 'try-finally-to-using');
    const entry = codemods['try-finally-to-using'] as CodemodEntry;
    const inputs = readdirSync(fixtures).filter((name) => name.includes('.input.'));
    expect(inputs.length).toBeGreaterThan(10);
    for (const name of inputs) {
      const source = readFileSync(path.join(fixtures, name), 'utf8');
      const { converted, refused } = entry.transformSource(source, name, { allSites: true });
      if (converted.length + refused.length > 0) expect(entry.mightMatch?.test(source), name).toBe(true);
    }
  });
});

describe('--all-sites and skip reasons', () => {
  it('passes allSites to the transform only with --all-sites', async () => {
    writeTree(dir, { 'a.ts': 'LONE_ME\n' });
    const plain = await runJson(['mark', 'a.ts', '--dry'], { cwd: dir });
    expect(plain.summary).toMatchObject({ changed: 0, refused: 1, refusalReasons: { 'test-lone': 1 } });
    const all = await runJson(['mark', 'a.ts', '--dry', '--all-sites'], { cwd: dir });
    expect(all.summary).toMatchObject({ changed: 1, converted: 1, refused: 0 });
  });

  it('lists every refusal reason the transform returns, and does not count skips the user asked for as refusals', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME REFUSE_ME SKIP_ME LONE_ME\n' });
    const report = await runJson(['mark-ds', 'a.ts', '--dry', '--target', 'native'], { cwd: dir });
    expect(report.summary).toMatchObject({
      refused: 2,
      skippedOnRequest: 1,
      refusalReasons: { 'test-lone': 1, 'test-refusal': 1, 'test-skip-comment': 1 },
    });
    const text = await runMain(['mark-ds', 'a.ts', '--dry', '--target', 'native'], { cwd: dir });
    expect(text.stderr).toContain('1 site converted, 2 left alone, 1 skipped on request\nLeft alone, by reason:\n  test-lone: 1\n');
    expect(text.stderr).toContain('  test-skip-comment: 1\n');
  });
});

describe('runtime target', () => {
  const packageWith = (engines?: string): string =>
    JSON.stringify({ name: 'p', ...(engines === undefined ? {} : { engines: { node: engines } }) });

  it('warns (summary and --json) when engines.node admits a Node.js without DisposableStack, and still converts', async () => {
    writeTree(dir, { 'package.json': packageWith('>=20'), 'src/a.ts': 'CHANGE_ME\n', 'src/b.ts': 'CHANGE_ME\n' });
    const report = await runJson(['mark-ds', 'src'], { cwd: dir });
    expect(report.exit).toBe(0);
    expect(read('src/a.ts')).toBe('CHANGED\n');
    expect(report.summary.warnings).toEqual([
      expect.objectContaining({ id: 'runtime-target', config: 'package.json', files: 2, message: expect.stringContaining('engines.node ">=20" admits Node.js without DisposableStack') }),
    ]);
    writeTree(dir, { 'src/c.ts': 'CHANGE_ME\n' });
    const text = await runMain(['mark-ds', 'src/c.ts'], { cwd: dir });
    expect(text.stderr).toMatch(/^warning \(runtime-target\): package\.json: engines\.node ">=20" admits .* \(1 converted file\)$/m);
  });

  it('says nothing for a package on Node.js >= 24, or with --target native / polyfilled, or for files it does not convert', async () => {
    writeTree(dir, { 'package.json': packageWith('>=24'), 'a.ts': 'CHANGE_ME\n' });
    expect((await runJson(['mark-ds', 'a.ts', '--dry'], { cwd: dir })).summary.warnings).toEqual([]);
    writeTree(dir, { 'package.json': packageWith('^20.19.0 || >=22') });
    expect((await runJson(['mark-ds', 'a.ts', '--dry'], { cwd: dir })).summary.warnings).toHaveLength(1);
    for (const target of ['native', 'polyfilled']) {
      expect((await runJson(['mark-ds', 'a.ts', '--dry', '--target', target], { cwd: dir })).summary.warnings).toEqual([]);
    }
    writeTree(dir, { 'b.ts': 'nothing\n' });
    expect((await runJson(['mark-ds', 'b.ts', '--dry'], { cwd: dir })).summary.warnings).toEqual([]);
  });

  it('--target engines and --target <node range> refuse the conversion instead (skipped: runtime-target)', async () => {
    writeTree(dir, { 'package.json': packageWith('>=20'), 'a.ts': 'CHANGE_ME\n' });
    const strict = await runJson(['mark-ds', 'a.ts', '--target', 'engines'], { cwd: dir });
    expect(strict.files).toMatchObject([{ status: 'skipped', reason: 'runtime-target' }]);
    expect(strict.files[0]?.message).toContain('--target polyfilled');
    expect(read('a.ts')).toBe('CHANGE_ME\n');
    const old = await runJson(['mark-ds', 'a.ts', '--target', 'node20'], { cwd: dir });
    expect(old.files).toMatchObject([{ status: 'skipped', reason: 'runtime-target' }]);
    expect(read('a.ts')).toBe('CHANGE_ME\n');
    const current = await runJson(['mark-ds', 'a.ts', '--target', '>=24.1'], { cwd: dir });
    expect(current.files).toMatchObject([{ status: 'changed' }]);
    expect(current.summary.warnings).toEqual([]);
    expect(read('a.ts')).toBe('CHANGED\n');
  });

  it('--target engines refuses a package that declares no engines.node', async () => {
    writeTree(dir, { 'package.json': packageWith(), 'a.ts': 'CHANGE_ME\n' });
    const report = await runJson(['mark-ds', 'a.ts', '--target', 'engines', '--dry'], { cwd: dir });
    expect(report.files).toMatchObject([{ status: 'skipped', reason: 'runtime-target' }]);
  });

  it.each(['node', 'latest', 'soon', '20 or 22'])('rejects --target %s, exit 2', async (value) => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const run = await runMain(['mark-ds', 'a.ts', '--target', value], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('expected auto, engines, native, polyfilled or a Node.js version range');
  });
});

describe("DisposableStack's TypeScript types", () => {
  const tsconfig = (compilerOptions: object): string => JSON.stringify({ compilerOptions });

  it.each([
    [{ target: 'ES2022', lib: ['ES2022'] }, 'compilerOptions.lib ["es2022"] has no DisposableStack types: add "esnext.disposable"'],
    [{ target: 'ES2022' }, 'compilerOptions.lib is not set'],
    [{ target: 'ES2022', lib: ['ES2022', 'esnext.disposable'] }, undefined],
    [{ target: 'ES2022', lib: ['ESNext'] }, undefined],
    [{ target: 'ESNext' }, undefined],
  ])('tsconfig %j: %s', async (options, message) => {
    writeTree(dir, { 'package.json': '{"engines":{"node":">=24"}}', 'tsconfig.json': tsconfig(options), 'src/a.ts': 'CHANGE_ME\n', 'src/b.js': 'CHANGE_ME\n' });
    const report = await runJson(['mark-ds', 'src', '--dry'], { cwd: dir });
    if (message === undefined) {
      expect(report.summary.warnings).toEqual([]);
    } else {
      // Only the TypeScript file counts: a .js file is not type-checked by that tsconfig.
      expect(report.summary.warnings).toEqual([
        { id: 'typescript-lib', config: 'tsconfig.json', files: 1, message: expect.stringContaining(message) },
      ]);
    }
    expect(read('tsconfig.json')).toBe(tsconfig(options));
  });

  it('follows `extends` through the project`s own TypeScript', async () => {
    writeTree(dir, {
      'package.json': '{"engines":{"node":">=24"}}',
      'tsconfig.base.json': tsconfig({ target: 'ES2022', lib: ['ES2023', 'esnext.disposable'] }),
      'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { strict: true } }),
      'a.ts': 'CHANGE_ME\n',
    });
    expect((await runJson(['mark-ds', 'a.ts', '--dry'], { cwd: dir })).summary.warnings).toEqual([]);
  });
});

describe("DisposableStack's globals in the project's ESLint config", () => {
  // Inside the repository (an ignored folder), so the project's own ESLint resolves as a user's would.
  let project: string;
  beforeEach(() => {
    mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
    project = realpathSync(mkdtempSync(path.join(repoRoot, '.cache', 'cli-eslint-')));
  });
  afterEach(() => {
    removeDir(project);
  });

  it.each([
    ['2022', true],
    ['"latest"', false],
  ])('ecmaVersion %s with no-undef on: warns %s, and never edits the config', async (ecmaVersion, warns) => {
    const config = `export default [{ languageOptions: { ecmaVersion: ${ecmaVersion}, sourceType: 'module' }, rules: { 'no-undef': 'error' } }];\n`;
    writeFileSync(path.join(project, 'eslint.config.js'), config);
    writeFileSync(path.join(project, 'package.json'), '{"type":"module","engines":{"node":">=24"}}');
    writeFileSync(path.join(project, 'a.js'), 'CHANGE_ME\n');
    writeFileSync(path.join(project, 'b.js'), 'CHANGE_ME\n');
    const report = await runJson(['mark-ds', '.', '--dry', '--no-gitignore'], { cwd: project });
    const eslintWarnings = report.summary.warnings.filter((warning) => warning.id === 'eslint-globals');
    if (warns) {
      expect(eslintWarnings).toEqual([
        { id: 'eslint-globals', config: 'eslint.config.js', files: 2, message: expect.stringContaining('no-undef reports DisposableStack as undefined') },
      ]);
    } else {
      expect(eslintWarnings).toEqual([]);
    }
    expect(readFileSync(path.join(project, 'eslint.config.js'), 'utf8')).toBe(config);
  });
});
