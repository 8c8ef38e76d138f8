// Throughput of `ctx-codemod` over a corpus of real files: the real transform next to two no-op
// baselines (Babel parse only; recast parse + print), 1 cpu (in-process) and 2 worker threads, each run a fresh process,
// repeated and reported as medians. Needs a build (`npm run build`).
//
//   node tests/cli/bench/cli-throughput.mjs <corpus-dir> [runs=3]
//
// Runs with --dry (nothing is written, so every run sees the same files) and --no-gitignore
// (a corpus usually lives in an ignored folder such as .cache/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [corpus, runsArgument = '3'] = process.argv.slice(2);
if (!corpus) {
  console.error('usage: node tests/cli/bench/cli-throughput.mjs <corpus-dir> [runs=3]');
  process.exit(2);
}
const runs = Number(runsArgument);
const entry = fileURLToPath(new URL('./ctx-codemod-bench.mjs', import.meta.url));
const jscodeshiftBin = fileURLToPath(new URL('../../../node_modules/.bin/jscodeshift', import.meta.url));
const noopModule = fileURLToPath(new URL('./noop-parse-print.mjs', import.meta.url));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// GNU time gives CPU seconds (user + sys, children included) next to the wall time: on a
// shared, loaded machine the CPU figure is the steadier of the two.
const timesDir = mkdtempSync(path.join(tmpdir(), 'ctx-bench-'));
const timesFile = path.join(timesDir, 'time');
function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', timesFile, command, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const [wall, user, system] = readFileSync(timesFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
  return { result, wallMs: wall * 1000, cpuMs: (user + system) * 1000 };
}

function runCtxCodemod(transform, cpus) {
  const run = timed(process.execPath, [entry, transform, corpus, '--dry', '--json', '--no-gitignore', '--cpus', String(cpus)]);
  if (run.result.status === null || !run.result.stdout) throw new Error(`run failed: ${run.result.stderr}`);
  return { ...run, report: JSON.parse(run.result.stdout) };
}

function runJscodeshift(cpus) {
  const run = timed(jscodeshiftBin, [
    '--no-babel',
    '--dry',
    '--silent',
    `--cpus=${cpus}`,
    '--extensions=js,jsx,mjs,cjs,ts,tsx,mts,cts',
    '--ignore-pattern=**/*.d.ts',
    '-t',
    noopModule,
    corpus,
  ]);
  if (run.result.status !== 0) throw new Error(`jscodeshift failed: ${run.result.stderr}`);
  return run;
}

const rows = [];
for (const [label, transform] of [
  ['noop-parse', 'noop-parse'],
  ['noop-parse-print', 'noop-parse-print'],
  ['try-finally-to-using', 'try-finally-to-using'],
]) {
  for (const cpus of [1, 2]) {
    const wall = [];
    const cpu = [];
    let last;
    for (let run = 0; run < runs; run++) {
      last = runCtxCodemod(transform, cpus);
      wall.push(last.wallMs);
      cpu.push(last.cpuMs);
    }
    const { summary } = last.report;
    const processed = summary.changed + summary.unchanged + summary.errors;
    rows.push({
      runner: 'ctx-codemod',
      transform: label,
      cpus,
      files: processed,
      medianWallMs: Math.round(median(wall)),
      medianCpuMs: Math.round(median(cpu)),
      filesPerSecond: Math.round((processed / median(wall)) * 1000 * 10) / 10,
      changed: summary.changed,
      errors: summary.errors,
      converted: summary.converted,
      refused: summary.refused,
      refusalReasons: summary.refusalReasons,
      errorReasons: summary.errorReasons,
      skipped: summary.skipped,
    });
  }
}
for (const cpus of [1, 2]) {
  const wall = [];
  const cpu = [];
  for (let run = 0; run < runs; run++) {
    const { wallMs, cpuMs } = runJscodeshift(cpus);
    wall.push(wallMs);
    cpu.push(cpuMs);
  }
  rows.push({
    runner: 'jscodeshift --no-babel',
    transform: 'noop-parse-print',
    cpus,
    medianWallMs: Math.round(median(wall)),
    medianCpuMs: Math.round(median(cpu)),
  });
}
rmSync(timesDir, { recursive: true, force: true });
console.log(JSON.stringify({ corpus, runs, loadAverage: (await import('node:os')).loadavg(), rows }, null, 2));
