import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';

import type { TransformSource } from '../../codemods/index.js';
import { BYTES_PER_WORKER } from '../../codemods/cli/pool.js';
import type { RunReport } from '../../codemods/cli/report.js';
import { CONVERTIBLE_SOURCE, makeTempDir, removeDir, repoRoot, runJson, runMain, testTransforms } from './helpers.js';

// Tests against the BUILT package (dist/): the `ctx-codemod` bin as a user runs it, worker
// threads (which need compiled JavaScript), and plain jscodeshift loading the transform.
// `npm test` builds before vitest runs; alone, run `npm run build` first.

const dist = (relative: string): string => path.join(repoRoot, 'dist', relative);
const cliPath = dist('codemods/cli.js');
const workerUrl = pathToFileURL(dist('codemods/cli/worker.js'));

/** Each built file next to the source it comes from, so a stale dist/ fails loudly, not oddly. */
const builtFromSource: Array<[string, string]> = [
  ['codemods/cli.js', 'codemods/cli.ts'],
  ['codemods/index.js', 'codemods/index.ts'],
  ...['runner', 'discovery', 'file', 'pool', 'report', 'worker', 'environment', 'git'].map((name): [string, string] => [
    `codemods/cli/${name}.js`,
    `codemods/cli/${name}.ts`,
  ]),
];

let builtTransformSource: TransformSource;

beforeAll(async () => {
  for (const [built, source] of builtFromSource) {
    if (!existsSync(dist(built))) {
      throw new Error(`dist/${built} is missing: run \`npm run build\` (npm test does) before these tests.`);
    }
    if (statSync(dist(built)).mtimeMs < statSync(path.join(repoRoot, source)).mtimeMs) {
      throw new Error(`dist/${built} is older than ${source}: run \`npm run build\` before these tests.`);
    }
  }
  const module = (await import(pathToFileURL(dist('codemods/try-finally-to-using.js')).href)) as {
    transformSource: TransformSource;
  };
  builtTransformSource = module.transformSource;
});

function runCli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const convertible = CONVERTIBLE_SOURCE;
const alreadyUsing = `export function main() {
  using file = open('a');
  file.read();
}
`;
const nested = `export async function main() {
  const a = open('a');
  try {
    const b = await openAsync('b');
    try {
      b.read();
    } finally {
      await b.closeAsync();
    }
  } finally {
    a.close();
  }
}
`;

let dir: string;
beforeEach(() => {
  dir = makeTempDir('built');
});
afterEach(() => {
  removeDir(dir);
});

function writeSources(files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}

describe('the built ctx-codemod bin', () => {
  it('starts from its shebang file and prints the version', () => {
    expect(readFileSync(cliPath, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(runCli(['--version'], dir)).toMatchObject({ status: 0, stdout: `${version}\n` });
  });

  it('exits 2 on an unknown transform and names the real one', () => {
    const run = runCli(['no-such-transform', '.'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('try-finally-to-using');
  });

  it('runs try-finally-to-using through 2 worker threads; each file ends as the transform makes it', () => {
    // Enough text for two threads to pay (BYTES_PER_WORKER each): a long comment in every file.
    const padding = `/* ${'padding '.repeat((BYTES_PER_WORKER / 8) * 0.75)} */\n`;
    const sources = {
      'a.ts': padding + convertible,
      'b.mts': padding + alreadyUsing,
      'sub/c.js': padding + convertible,
      'sub/d.ts': padding + nested,
    };
    writeSources(sources);
    const run = runCli(['try-finally-to-using', '.', '--cpus', '2', '--json'], dir);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(report.summary.cpus).toBe(2);
    expect(run.stderr).toBe('');
    for (const [name, source] of Object.entries(sources)) {
      const expected = builtTransformSource(source, name);
      const entry = report.files.find((file) => file.file === path.join(...name.split('/')));
      expect(entry, name).toMatchObject({
        status: expected.output === source ? 'unchanged' : 'changed',
        converted: expected.converted,
        refused: expected.refused,
      });
      expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe(expected.output);
    }
    expect(run.status).toBe(0);
  });

  it('stays in one thread, whatever --cpus says, when the files left by the text pre-check are few and small', () => {
    writeSources({ 'a.ts': convertible, 'b.ts': nested, 'c.ts': alreadyUsing, 'd.ts': 'export const none = 1;\n' });
    const run = runCli(['try-finally-to-using', '.', '--cpus', '2', '--json', '--dry'], dir);
    const report = JSON.parse(run.stdout) as RunReport;
    expect(report.summary).toMatchObject({ cpus: 1, files: 4 });
    expect(report.files.find((file) => file.file === 'd.ts')).toMatchObject({ status: 'unchanged', parsed: false });
    expect(run.status).toBe(0);
  });

  it('--check exits 1 exactly when the transform would change a file, and writes nothing', () => {
    writeSources({ 'a.ts': convertible });
    const wouldChange = builtTransformSource(convertible, 'a.ts').output !== convertible;
    const run = runCli(['try-finally-to-using', 'a.ts', '--check'], dir);
    expect(run.status).toBe(wouldChange ? 1 : 0);
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe(convertible);
  });

  it('survives a reader that leaves early (`--print | head -c 1`): exit code of the run, no crash', () => {
    // Far more than a pipe buffer (64 KiB) of output, so the writer does meet the closed pipe.
    writeSources(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}.ts`, '// a line of filler text\n'.repeat(1000)])));
    const result = spawnSync(
      'bash',
      ['-c', 'node "$0" try-finally-to-using . --print | head -c 1 >/dev/null; exit "${PIPESTATUS[0]}"', cliPath],
      { cwd: dir, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.stderr).toContain('40 files in');
    expect(result.status).toBe(0);
  });

  it('a second run changes nothing (the transform is idempotent through the CLI)', () => {
    writeSources({ 'a.ts': convertible, 'b.ts': nested });
    expect(runCli(['try-finally-to-using', '.'], dir).status).toBe(0);
    const second = runCli(['try-finally-to-using', '.', '--check', '--json'], dir);
    expect((JSON.parse(second.stdout) as RunReport).summary.changed).toBe(0);
    expect(second.status).toBe(0);
  });
});

describe('worker threads (in-process main, built worker script, stand-in transform)', () => {
  const files = {
    'a.ts': 'let a = CHANGE_ME;\n',
    'b.ts': 'let b = 1; // REFUSE_ME\n',
    'c.tsx': 'let c = @@syntax-error;\n',
    'd.js': 'CHANGE_ME CHANGE_ME\n',
    'e.ts': 'CHANGE_ME @@exit-worker\n',
    'f.mjs': 'CHANGE_ME\n',
  };

  it('gives the same reports and the same files with 2 workers as in-process', async () => {
    writeSources(files);
    const copy = makeTempDir('built-copy');
    try {
      cpSync(dir, copy, { recursive: true });
      const inProcess = await runJson(['mark', '.', '--cpus', '1'], { cwd: copy, workerUrl });
      const pooled = await runJson(['mark', '.', '--cpus', '2'], { cwd: dir, workerUrl });
      expect(pooled.summary.cpus).toBe(2);
      expect(inProcess.summary.cpus).toBe(1);
      // e.ts exits only inside a worker: its thread dies, that file is an error, the run goes on.
      const withoutExit = (report: RunReport): RunReport['files'] => report.files.filter((file) => file.file !== 'e.ts');
      expect(withoutExit(pooled)).toEqual(withoutExit(inProcess));
      expect(pooled.files.find((file) => file.file === 'e.ts')).toMatchObject({
        status: 'error',
        reason: 'transform-failed',
        message: expect.stringContaining('worker thread died') as unknown,
      });
      expect(pooled.files.map((file) => file.file)).toEqual(Object.keys(files));
      for (const name of ['a.ts', 'b.ts', 'c.tsx', 'd.js', 'f.mjs']) {
        expect(readFileSync(path.join(dir, name), 'utf8'), name).toBe(readFileSync(path.join(copy, name), 'utf8'));
      }
      expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe('let a = CHANGED;\n');
      expect(readFileSync(path.join(dir, 'e.ts'), 'utf8')).toBe(files['e.ts']);
      expect(pooled.exit).toBe(2);
    } finally {
      removeDir(copy);
    }
  });

  it('workers get the transform options, the text pre-check, the runtime refusal and the diff', async () => {
    writeSources({
      'package.json': '{"engines":{"node":">=24"}}',
      'a.ts': 'LONE_ME\n',
      'b.ts': 'let b = @@syntax-error;\n',
      'c.ts': 'CHANGE_ME\n',
      'old/package.json': '{"engines":{"node":">=18"}}',
      'old/d.ts': 'CHANGE_ME\n',
    });
    const argv = ['mark-ds', '.', '--all-sites', '--target', 'engines', '--diff'];
    const pooled = await runMain([...argv, '--cpus', '2'], { cwd: dir, workerUrl, env: {}, bytesPerWorker: 0 });
    const inProcess = await runMain([...argv, '--cpus', '1'], { cwd: dir, workerUrl, env: {} });
    expect(pooled.stdout).toBe(inProcess.stdout);
    expect(pooled.stdout).toContain('--- a/a.ts\n+++ b/a.ts\n@@ -1,1 +1,1 @@\n-LONE_ME\n+CHANGED\n');
    expect(pooled.stderr).toContain('skipped: old/d.ts (runtime-target: engines.node ">=18" admits');
    expect(pooled.stderr).toContain('2 would change, 1 unchanged, 1 skipped, 0 errors (1 ruled out without parsing)');
    expect(pooled.stderr).toContain('2 cpus');
    expect(pooled.exitCode).toBe(0);
  });

  it('finishes in one thread, with a warning, when no worker can start', async () => {
    writeSources({ 'a.ts': 'CHANGE_ME\n', 'b.ts': 'CHANGE_ME\n', 'c.ts': '1\n' });
    const missingWorker = pathToFileURL(path.join(dir, 'no-such-worker.js'));
    const run = await runMain(['mark', '.', '--cpus', '2'], { cwd: dir, workerUrl: missingWorker });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain('worker threads unavailable');
    expect(run.stderr).toContain('3 files in');
    expect(run.stderr).toContain('1 cpu)');
    expect(readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe('CHANGED\n');
    expect(readFileSync(path.join(dir, 'b.ts'), 'utf8')).toBe('CHANGED\n');
  });

  it('runs in-process when the transform cannot be loaded by a worker (no module URL)', async () => {
    writeSources({ 'a.ts': 'CHANGE_ME\n', 'b.ts': 'CHANGE_ME\n' });
    const inlineOnly = { mark: { ...testTransforms.mark!, moduleUrl: undefined } };
    const report = await runJson(['mark', '.', '--cpus', '2'], { cwd: dir, workerUrl, transforms: inlineOnly });
    expect(report.summary).toMatchObject({ cpus: 1, changed: 2 });
  });
});

describe('plain jscodeshift loading the published transform', () => {
  // A fake install: the package's files copied (not linked) under node_modules inside the
  // working directory, where jscodeshift's @babel/register compiles them as it would for a
  // user. It lives under .cache/ so the transform's own imports (jscodeshift) resolve upwards.
  let project: string;
  beforeAll(() => {
    mkdirSync(path.join(repoRoot, '.cache/cli'), { recursive: true });
    project = mkdtempSync(path.join(repoRoot, '.cache/cli/jscodeshift-e2e-'));
    const installed = path.join(project, 'node_modules/eslint-plugin-ctx');
    mkdirSync(installed, { recursive: true });
    cpSync(path.join(repoRoot, 'package.json'), path.join(installed, 'package.json'));
    cpSync(path.join(repoRoot, 'dist'), path.join(installed, 'dist'), { recursive: true });
  });
  afterAll(() => {
    removeDir(project);
  });

  it.each([
    ['with @babel/register (the default)', []],
    ['with --no-babel', ['--no-babel']],
  ])('%s', (_label, flags) => {
    for (const [name, source] of [['case.ts', convertible], ['case.js', nested]] as const) {
      writeFileSync(path.join(project, name), source);
      const run = spawnSync(
        path.join(repoRoot, 'node_modules/.bin/jscodeshift'),
        [...flags, '--fail-on-error', '-t', 'node_modules/eslint-plugin-ctx/dist/codemods/try-finally-to-using.js', name],
        // NO_COLOR: under CI=true jscodeshift's picocolors colours its counts, which the regexes read.
        { cwd: project, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } },
      );
      // jscodeshift exits 0 even when its worker cannot load the transform: read its counts.
      const count = (label: string): number => Number(new RegExp(`^(\\d+) ${label}$`, 'm').exec(run.stdout)?.[1] ?? NaN);
      expect(run.stderr, name).not.toMatch(/Error/);
      expect(count('errors'), name).toBe(0);
      expect(count('ok') + count('unmodified') + count('skipped'), `${name}: ${run.stdout}`).toBe(1);
      expect(run.status, name).toBe(0);
      expect(readFileSync(path.join(project, name), 'utf8'), name).toBe(builtTransformSource(source, name).output);
    }
    // @babel/register compiles the transform and jscodeshift first: slow on a loaded machine.
  }, 180_000);
});
