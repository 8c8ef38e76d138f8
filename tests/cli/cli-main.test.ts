import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { codemods } from '../../codemods/index.js';
import { nodeFs } from '../../codemods/cli/file.js';
import { main } from '../../codemods/cli/runner.js';
import type { CodemodFs } from '../../codemods/cli/file.js';
import type { FileReport } from '../../codemods/cli/report.js';
import { CONVERTIBLE_SOURCE, makeTempDir, removeDir, repoRoot, runJson, runMain, testTransforms, writeTree } from './helpers.js';

// In-process tests of `main(argv, io)` with the `mark` test transform (tests/cli/__samples__):
// the CLI's own behaviour, independent of the real transform's progress.

let dir: string;

beforeEach(() => {
  dir = makeTempDir('main');
});
afterEach(() => {
  removeDir(dir);
});

function read(name: string): string {
  return readFileSync(path.join(dir, name), 'utf8');
}

function mtimeOf(name: string): number {
  return statSync(path.join(dir, name)).mtimeMs;
}

function byFile(reports: FileReport[]): Record<string, FileReport> {
  return Object.fromEntries(reports.map((report) => [report.file, report]));
}

describe('arguments', () => {
  it('prints help with the known transforms and the exit codes, exit 0', async () => {
    const run = await runMain(['--help'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('Usage: ctx-codemod [options] <transform> <paths...>');
    expect(run.stdout).toMatch(/^ {2}mark {2,}test transform/m);
    expect(run.stdout).toContain('Exit codes: 0 done, 1 --check');
  });

  it('prints the package version, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const run = await runMain(['--version'], { cwd: dir });
    expect(run).toMatchObject({ exitCode: 0, stdout: `${version}\n` });
  });

  it('rejects an unknown transform with the list of known ones, exit 2, nothing touched', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const run = await runMain(['nope', 'a.ts'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown transform "nope". Known transforms:');
    expect(run.stderr).toContain('mark');
    expect(read('a.ts')).toBe('CHANGE_ME\n');
  });

  it.each([
    [['mark'], 'name the files or directories to transform'],
    [[], 'name a transform. Known transforms:\n  mark'],
    [['mark', '.', '--cpus', '0'], 'expected a whole number of at least 1'],
    [['mark', '.', '--cpus', 'two'], 'expected a whole number of at least 1'],
    [['mark', '.', '--extensions', 'ts,vue'], 'no parser for "vue"'],
    [['mark', '.', '--extensions', ','], 'give at least one extension'],
    [['mark', '.', '--print', '--json'], "option '--print' cannot be used with option '--json'"],
    [['mark', '.', '--frobnicate'], "unknown option '--frobnicate'"],
  ])('rejects %j with exit 2', async (argv, message) => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const run = await runMain(argv, { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(message);
    expect(read('a.ts')).toBe('CHANGE_ME\n');
  });
});

describe('modes', () => {
  beforeEach(() => {
    writeTree(dir, { 'src/a.ts': 'let x = CHANGE_ME;\n', 'src/b.js': 'let y = 1;\n', 'src/c.tsx': 'REFUSE_ME\n' });
  });

  it('writes changed files only, reports them and a summary on stderr, exit 0', async () => {
    const untouchedMtime = mtimeOf('src/b.js');
    const run = await runMain(['mark', 'src'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('');
    expect(read('src/a.ts')).toBe('let x = CHANGED;\n');
    expect(read('src/b.js')).toBe('let y = 1;\n');
    expect(mtimeOf('src/b.js')).toBe(untouchedMtime);
    expect(run.stderr).toContain(`changed: ${path.join('src', 'a.ts')} (1 converted)`);
    expect(run.stderr).toContain('1 changed, 2 unchanged, 0 skipped, 0 errors');
    expect(run.stderr).toContain('Left alone, by reason:\n  test-refusal: 1');
  });

  it('--dry reports what would change and writes nothing', async () => {
    const run = await runMain(['mark', 'src', '--dry'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`would change: ${path.join('src', 'a.ts')}`);
    expect(read('src/a.ts')).toBe('let x = CHANGE_ME;\n');
  });

  it('--check exits 1 when a file would change and writes nothing', async () => {
    const run = await runMain(['mark', 'src', '--check'], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('--check: 1 file would change');
    expect(read('src/a.ts')).toBe('let x = CHANGE_ME;\n');
  });

  it('--check exits 0 when nothing would change', async () => {
    const run = await runMain(['mark', 'src/b.js', 'src/c.tsx', '--check'], { cwd: dir });
    expect(run.exitCode).toBe(0);
  });

  it('--print prints one file exactly as it would be written, and writes nothing', async () => {
    const run = await runMain(['mark', 'src/a.ts', '--print'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe('let x = CHANGED;\n');
    expect(read('src/a.ts')).toBe('let x = CHANGE_ME;\n');
  });

  it('--print puts a header before each file when there are several, in path order', async () => {
    const run = await runMain(['mark', 'src', '--print'], { cwd: dir });
    const [a, b, c] = ['a.ts', 'b.js', 'c.tsx'].map((name) => path.join('src', name));
    expect(run.stdout).toBe(`==> ${a} <==\nlet x = CHANGED;\n==> ${b} <==\nlet y = 1;\n==> ${c} <==\nREFUSE_ME\n`);
    expect(read('src/a.ts')).toBe('let x = CHANGE_ME;\n');
  });

  it('--check --print prints the would-be sources, exits 1, writes nothing', async () => {
    const run = await runMain(['mark', 'src/a.ts', '--check', '--print'], { cwd: dir });
    expect(run).toMatchObject({ exitCode: 1, stdout: 'let x = CHANGED;\n' });
    expect(read('src/a.ts')).toBe('let x = CHANGE_ME;\n');
  });

  it('--json prints one document per run: per-file entries and a summary, nothing else', async () => {
    const report = await runJson(['mark', 'src', '--dry'], { cwd: dir });
    expect(report.stderr).toBe('');
    expect(report.exit).toBe(0);
    expect(report).toMatchObject({ transform: 'mark', mode: 'dry', exitCode: 0 });
    expect(report.files).toEqual([
      { file: path.join('src', 'a.ts'), status: 'changed', converted: [{ line: 1, column: 8 }], refused: [] },
      { file: path.join('src', 'b.js'), status: 'unchanged', converted: [], refused: [] },
      {
        file: path.join('src', 'c.tsx'),
        status: 'unchanged',
        converted: [],
        refused: [{ line: 1, column: 0, reason: 'test-refusal', message: 'REFUSE_ME is left alone' }],
      },
    ]);
    expect(report.summary).toMatchObject({
      files: 3,
      changed: 1,
      unchanged: 2,
      skipped: 0,
      errors: 0,
      converted: 1,
      refused: 1,
      refusalReasons: { 'test-refusal': 1 },
      cpus: 1,
    });
  });
});

describe('progress', () => {
  /** Enough of a terminal for cli-progress: it writes ANSI sequences through `write`. */
  function fakeTerminal(): { stream: { write(chunk: string): boolean; isTTY: boolean; columns: number }; text(): string } {
    let text = '';
    return {
      stream: { write: (chunk: string) => ((text += chunk), true), isTTY: true, columns: 100 },
      text: () => text,
    };
  }

  it('draws a progress bar on a terminal, then the per-file lines and the summary', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n', 'b.ts': '1\n', 'c.ts': '@@syntax-error\n' });
    const terminal = fakeTerminal();
    const exitCode = await main(['mark', '.'], { cwd: dir, transforms: testTransforms, stdout: { write: () => true }, stderr: terminal.stream });
    expect(exitCode).toBe(2);
    const text = terminal.text();
    expect(text).toContain('\u001B[?25l'); // the bar hides the cursor while it runs
    expect(text).toMatch(/mark .* 3\/3 files \| 1 changed \| 1 errors/);
    const afterBar = text.slice(text.lastIndexOf('\u001B[?25h'));
    expect(afterBar).toContain('changed: a.ts (1 converted)\nerror: c.ts:1:1 (parse-error)');
    expect(afterBar).toMatch(/mark: 3 files in .*\n {2}1 changed, 1 unchanged, 0 skipped, 1 error\n/);
  });

  it('keeps a terminal silent under --json', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const terminal = fakeTerminal();
    let stdout = '';
    const exitCode = await main(['mark', '.', '--json'], {
      cwd: dir,
      transforms: testTransforms,
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: terminal.stream,
    });
    expect(exitCode).toBe(0);
    expect(terminal.text()).toBe('');
    expect((JSON.parse(stdout) as { summary: { changed: number } }).summary.changed).toBe(1);
  });
});

describe('discovery', () => {
  it('walks only the --extensions, skips node_modules, hidden folders, .gitignore and --ignore matches', async () => {
    writeTree(dir, {
      '.gitignore': 'generated/\n*.gen.ts\n',
      'src/keep.ts': 'CHANGE_ME\n',
      'src/keep.mjs': 'CHANGE_ME\n',
      'src/style.css': 'CHANGE_ME\n',
      'src/api.gen.ts': 'CHANGE_ME\n',
      'generated/out.ts': 'CHANGE_ME\n',
      'node_modules/dep/index.js': 'CHANGE_ME\n',
      'src/node_modules/nested/index.js': 'CHANGE_ME\n',
      '.hidden/secret.ts': 'CHANGE_ME\n',
      'fixtures/sample.ts': 'CHANGE_ME\n',
      'src/types.d.ts': 'export const CHANGE_ME: number;\n',
      'src/types.d.mts': 'export const CHANGE_ME: number;\n',
      'src/bundle.min.mjs': 'CHANGE_ME\n',
    });
    const report = await runJson(['mark', '.', '--dry', '--extensions', 'ts,mjs', '--ignore', 'fixtures'], { cwd: dir });
    expect(report.files.map((file) => file.file)).toEqual([path.join('src', 'keep.mjs'), path.join('src', 'keep.ts')]);
  });

  it('says so when a directory given is itself git-ignored, and walks it with --no-gitignore', async () => {
    writeTree(dir, { '.gitignore': 'scratch/\n', 'scratch/a.ts': 'CHANGE_ME\n', 'scratch/b.gen.ts': 'CHANGE_ME\n' });
    // A repository root: .gitignore files of parent directories count only inside one.
    mkdirSync(path.join(dir, '.git'));
    const ignored = await runJson(['mark', 'scratch'], { cwd: dir });
    expect(ignored.files).toMatchObject([
      { file: 'scratch', status: 'skipped', reason: 'ignored', message: expect.stringContaining('--no-gitignore') as unknown },
    ]);
    expect(read('scratch/a.ts')).toBe('CHANGE_ME\n');

    const walked = await runJson(['mark', 'scratch', '--no-gitignore', '--ignore', '**/*.gen.ts'], { cwd: dir });
    expect(walked.files.map((file) => [file.file, file.status])).toEqual([[path.join('scratch', 'a.ts'), 'changed']]);
  });

  it('processes a file named on the command line whatever --extensions says, unless the transform cannot parse it', async () => {
    writeTree(dir, { 'a.cts': 'CHANGE_ME\n', 'notes.md': 'CHANGE_ME\n', 'types.d.ts': 'export const CHANGE_ME: 1;\n', 'app.min.js': 'CHANGE_ME\n' });
    const report = await runJson(['mark', 'a.cts', 'notes.md', 'types.d.ts', 'app.min.js', '--extensions', 'ts'], { cwd: dir });
    expect(byFile(report.files)).toMatchObject({
      'a.cts': { status: 'changed' },
      'notes.md': { status: 'skipped', reason: 'unsupported-extension' },
      'types.d.ts': { status: 'skipped', reason: 'declaration-file' },
      'app.min.js': { status: 'skipped', reason: 'minified-file' },
    });
    expect(read('notes.md')).toBe('CHANGE_ME\n');
    expect(read('app.min.js')).toBe('CHANGE_ME\n');
    expect(report.exit).toBe(0);
  });

  it('honours .gitignore, --ignore and node_modules for files named on the command line too', async () => {
    writeTree(dir, {
      '.gitignore': '*.gen.ts\n',
      'api.gen.ts': 'CHANGE_ME\n',
      'vendor/lib.ts': 'CHANGE_ME\n',
      'node_modules/dep/index.ts': 'CHANGE_ME\n',
      'ok.ts': 'CHANGE_ME\n',
    });
    const named = ['api.gen.ts', 'vendor/lib.ts', 'node_modules/dep/index.ts', 'ok.ts'];
    const report = await runJson(['mark', ...named, '--ignore', 'vendor'], { cwd: dir });
    expect(report.files.map((file) => [file.file, file.status, file.reason])).toEqual([
      ['api.gen.ts', 'skipped', 'ignored'],
      [path.join('vendor', 'lib.ts'), 'skipped', 'ignored'],
      [path.join('node_modules', 'dep', 'index.ts'), 'skipped', 'ignored'],
      ['ok.ts', 'changed', undefined],
    ]);
    expect(read('api.gen.ts')).toBe('CHANGE_ME\n');
    expect(read('vendor/lib.ts')).toBe('CHANGE_ME\n');
  });

  it('never follows a link out of the given paths: linked directories are not walked, linked files outside are skipped', async () => {
    writeTree(dir, { 'outside/secret.ts': 'CHANGE_ME\n', 'outside/dir/deep.ts': 'CHANGE_ME\n', 'root/own.ts': 'CHANGE_ME\n' });
    symlinkSync(path.join(dir, 'outside/secret.ts'), path.join(dir, 'root/link.ts'));
    symlinkSync(path.join(dir, 'outside/dir'), path.join(dir, 'root/linked-dir'));
    symlinkSync(path.join(dir, 'root/own.ts'), path.join(dir, 'root/alias.ts'));
    symlinkSync(path.join(dir, 'missing.ts'), path.join(dir, 'root/dangling.ts'));

    const report = await runJson(['mark', 'root'], { cwd: dir });
    expect(report.files.map((file) => [file.file, file.status, file.reason])).toEqual([
      [path.join('root', 'alias.ts'), 'changed', undefined],
      [path.join('root', 'dangling.ts'), 'skipped', 'broken-symlink'],
      [path.join('root', 'link.ts'), 'skipped', 'symlink-outside-root'],
      [path.join('root', 'own.ts'), 'skipped', 'duplicate'],
    ]);
    expect(read('outside/secret.ts')).toBe('CHANGE_ME\n');
    expect(read('outside/dir/deep.ts')).toBe('CHANGE_ME\n');
    // The link was written through, not replaced by a regular file.
    expect(read('root/own.ts')).toBe('CHANGED\n');
    expect(statSync(path.join(dir, 'root/alias.ts'), { throwIfNoEntry: true }).isFile()).toBe(true);
    expect(readdirSync(path.join(dir, 'root'), { withFileTypes: true }).find((e) => e.name === 'alias.ts')?.isSymbolicLink()).toBe(true);
  });

  it('skips a linked file named on the command line when its target is outside every given path', async () => {
    writeTree(dir, { 'outside/secret.ts': 'CHANGE_ME\n', 'root/inside.ts': 'CHANGE_ME\n' });
    symlinkSync(path.join(dir, 'outside/secret.ts'), path.join(dir, 'root/link.ts'));
    symlinkSync(path.join(dir, 'root/inside.ts'), path.join(dir, 'root/link-in.ts'));
    const report = await runJson(['mark', 'root/link.ts', 'root/link-in.ts', 'root/inside.ts'], { cwd: dir });
    expect(report.files.map((file) => [file.file, file.status, file.reason])).toEqual([
      [path.join('root', 'link.ts'), 'skipped', 'symlink-outside-root'],
      [path.join('root', 'link-in.ts'), 'changed', undefined],
      [path.join('root', 'inside.ts'), 'skipped', 'duplicate'],
    ]);
    expect(read('outside/secret.ts')).toBe('CHANGE_ME\n');
  });
});

describe('safety', () => {
  it('reports a file that does not parse with line:column, leaves it byte-for-byte, and goes on', async () => {
    const broken = Buffer.from('// header\r\nlet a = @@syntax-error CHANGE_ME\r\n');
    writeTree(dir, { 'a-broken.ts': broken, 'b-fine.ts': 'CHANGE_ME\n' });
    const before = mtimeOf('a-broken.ts');
    const run = await runMain(['mark', '.'], { cwd: dir });
    expect(run.exitCode).toBe(2);
    // Text lines print a 1-based column, as editors do, once: the parser's own copy (0-based) is dropped.
    expect(run.stderr).toContain('error: a-broken.ts:2:9 (parse-error): Unexpected token\n');
    expect(readFileSync(path.join(dir, 'a-broken.ts')).equals(broken)).toBe(true);
    expect(mtimeOf('a-broken.ts')).toBe(before);
    expect(read('b-fine.ts')).toBe('CHANGED\n');
  });

  it('tells a transform crash from a parse error', async () => {
    writeTree(dir, { 'a.ts': '@@crash CHANGE_ME\n' });
    const report = await runJson(['mark', 'a.ts'], { cwd: dir });
    expect(report.exit).toBe(2);
    expect(report.files[0]).toMatchObject({ status: 'error', reason: 'transform-failed', message: 'mark-transform crashed on a.ts' });
    expect(report.files[0]?.line).toBeUndefined();
    expect(read('a.ts')).toBe('@@crash CHANGE_ME\n');
  });

  it('reports a missing path, exit 2, and still processes the others', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const report = await runJson(['mark', 'missing.ts', 'a.ts'], { cwd: dir });
    expect(report.exit).toBe(2);
    expect(report.files).toMatchObject([
      { file: 'missing.ts', status: 'error', reason: 'not-found' },
      { file: 'a.ts', status: 'changed' },
    ]);
    expect(read('a.ts')).toBe('CHANGED\n');
  });

  it('reports a file that cannot be read (injected EACCES: root reads chmod 000 files), exit 2, others still written', async () => {
    writeTree(dir, { 'locked.ts': 'CHANGE_ME\n', 'open.ts': 'CHANGE_ME\n' });
    const deniedFs: CodemodFs = {
      ...nodeFs,
      readFile: (file) =>
        path.basename(file) === 'locked.ts'
          ? Promise.reject(Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' }))
          : nodeFs.readFile(file),
    };
    const report = await runJson(['mark', '.'], { cwd: dir, fs: deniedFs });
    expect(report.exit).toBe(2);
    expect(byFile(report.files)).toMatchObject({
      'locked.ts': { status: 'error', reason: 'unreadable', message: expect.stringContaining('EACCES') as unknown },
      'open.ts': { status: 'changed' },
    });
    expect(read('locked.ts')).toBe('CHANGE_ME\n');
    expect(read('open.ts')).toBe('CHANGED\n');
  });

  it('reports a FIFO named on the command line as unreadable instead of blocking on it', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.ts')]);
    const report = await runJson(['mark', 'pipe.ts'], { cwd: dir });
    expect(report.exit).toBe(2);
    expect(report.files).toMatchObject([{ file: 'pipe.ts', status: 'error', reason: 'unreadable' }]);
  });

  it('does not walk into a directory named like a file, nor list a FIFO found in a walk', async () => {
    writeTree(dir, { 'weird.ts/inner.ts': 'CHANGE_ME\n' });
    execFileSync('mkfifo', [path.join(dir, 'pipe.ts')]);
    const report = await runJson(['mark', '.'], { cwd: dir });
    expect(report.files.map((file) => [file.file, file.status])).toEqual([[path.join('weird.ts', 'inner.ts'), 'changed']]);
  });

  it('writes atomically: no temporary file left behind, the file mode kept', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n', 'b.ts': 'CHANGE_ME\n' });
    chmodSync(path.join(dir, 'a.ts'), 0o640);
    chmodSync(path.join(dir, 'b.ts'), 0o755);
    const run = await runMain(['mark', '.'], { cwd: dir });
    expect(run.exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['a.ts', 'b.ts']);
    expect(statSync(path.join(dir, 'a.ts')).mode & 0o777).toBe(0o640);
    expect(statSync(path.join(dir, 'b.ts')).mode & 0o777).toBe(0o755);
    expect(read('a.ts')).toBe('CHANGED\n');
  });

  it('reports a failed write and keeps the original', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const fullDisk: CodemodFs = {
      ...nodeFs,
      writeFileAtomic: () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })),
    };
    const report = await runJson(['mark', 'a.ts'], { cwd: dir, fs: fullDisk });
    expect(report.exit).toBe(2);
    expect(report.files).toMatchObject([{ status: 'error', reason: 'write-failed', message: expect.stringContaining('ENOSPC') as unknown }]);
    expect(read('a.ts')).toBe('CHANGE_ME\n');
  });

  it('does not overwrite a file that changed while it was being transformed', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    let stats = 0;
    const racingFs: CodemodFs = {
      ...nodeFs,
      stat: async (file) => {
        const real = await nodeFs.stat(file);
        // The second look (just before writing) sees another writer's change.
        return ++stats === 2 ? { isFile: () => real.isFile(), mtimeMs: real.mtimeMs + 1000, size: real.size } : real;
      },
    };
    const report = await runJson(['mark', 'a.ts'], { cwd: dir, fs: racingFs });
    expect(report.files).toMatchObject([{ status: 'error', reason: 'modified-during-run' }]);
    expect(read('a.ts')).toBe('CHANGE_ME\n');
  });

  it('keeps every byte the transform did not change: CRLF line ends and a byte-order mark', async () => {
    writeTree(dir, { 'a.ts': '\uFEFFconst a = 1;\r\nlet b = CHANGE_ME;\r\n' });
    await runMain(['mark', 'a.ts'], { cwd: dir });
    expect(readFileSync(path.join(dir, 'a.ts'))).toEqual(Buffer.from('\uFEFFconst a = 1;\r\nlet b = CHANGED;\r\n'));
  });

  it('refuses to rewrite a file that is not valid UTF-8 (its other bytes would be lost)', async () => {
    const latin1 = Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\nCHANGE_ME\n')]);
    writeTree(dir, { 'a.js': latin1 });
    const report = await runJson(['mark', 'a.js'], { cwd: dir });
    expect(report.files).toMatchObject([{ status: 'skipped', reason: 'not-utf8' }]);
    expect(readFileSync(path.join(dir, 'a.js')).equals(latin1)).toBe(true);
  });
});

describe('the real try-finally-to-using transform, in-process', () => {
  const convertible = CONVERTIBLE_SOURCE;

  it('rewrites a trivially convertible file, reports the site, and a second run changes nothing', async () => {
    writeTree(dir, { 'a.ts': convertible });
    const first = await runJson(['try-finally-to-using', 'a.ts'], { cwd: dir, transforms: codemods });
    expect(first.exit).toBe(0);
    // The site is where its `try` keyword is: line 3, column 2.
    expect(first.files).toEqual([{ file: 'a.ts', status: 'changed', converted: [{ line: 3, column: 2 }], refused: [] }]);
    const rewritten = read('a.ts');
    expect(rewritten).toMatch(/\busing\b/);
    expect(rewritten).not.toMatch(/\bfinally\b/);

    const second = await runJson(['try-finally-to-using', 'a.ts', '--check'], { cwd: dir, transforms: codemods });
    expect(second.files).toMatchObject([{ status: 'unchanged' }]);
    expect(second.exit).toBe(0);
  });

  it('reports a real parse error with its position and leaves the file alone', async () => {
    const broken = 'export function main() {\n  try { a( } finally { b.close(); }\n}\n';
    writeTree(dir, { 'broken.ts': broken });
    const report = await runJson(['try-finally-to-using', 'broken.ts'], { cwd: dir, transforms: codemods });
    expect(report.exit).toBe(2);
    expect(report.files).toMatchObject([{ file: 'broken.ts', status: 'error', reason: 'parse-error', line: 2 }]);
    expect(read('broken.ts')).toBe(broken);
  });
});

describe('internal errors', () => {
  it('exits 2 (never 1, which means "--check found changes") when the CLI itself fails', async () => {
    writeTree(dir, { 'a.ts': 'CHANGE_ME\n' });
    const failingStdout = {
      write: (): never => {
        throw new Error('EPIPE: broken pipe');
      },
    };
    let stderr = '';
    const exitCode = await main(['mark', 'a.ts', '--json', '--check'], {
      cwd: dir,
      transforms: testTransforms,
      stdout: failingStdout,
      stderr: { write: (chunk: string) => (stderr += chunk) },
    });
    expect(exitCode).toBe(2);
    expect(stderr).toContain('ctx-codemod: internal error: Error: EPIPE: broken pipe');
  });
});
