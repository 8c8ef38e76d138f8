// Throughput of `ctx-codemod` over a corpus of real files: the real transform next to a no-op
// (parse + print) baseline, 1 cpu (in-process) and 2 worker threads, each run a fresh process,
// repeated and reported as medians. Needs a build (`npm run build`).
//
//   node tests/cli/bench/cli-throughput.mjs <corpus-dir> [runs=3]
//
// Runs with --dry (nothing is written, so every run sees the same files) and --no-gitignore
// (a corpus usually lives in an ignored folder such as .cache/).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

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

function runCtxCodemod(transform, cpus) {
  const startedAt = performance.now();
  const result = spawnSync(
    process.execPath,
    [entry, transform, corpus, '--dry', '--json', '--no-gitignore', '--cpus', String(cpus)],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const wallMs = performance.now() - startedAt;
  if (result.status === null || !result.stdout) throw new Error(`run failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout);
  return { wallMs, report };
}

function runJscodeshift(cpus) {
  const startedAt = performance.now();
  const result = spawnSync(
    jscodeshiftBin,
    ['--no-babel', '--dry', '--silent', `--cpus=${cpus}`, '--extensions=js,jsx,mjs,cjs,ts,tsx,mts,cts', '-t', noopModule, corpus],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`jscodeshift failed: ${result.stderr}`);
  return performance.now() - startedAt;
}

const rows = [];
for (const [label, transform] of [
  ['noop-parse-print', 'noop-parse-print'],
  ['try-finally-to-using', 'try-finally-to-using'],
]) {
  for (const cpus of [1, 2]) {
    const samples = [];
    let last;
    for (let run = 0; run < runs; run++) {
      last = runCtxCodemod(transform, cpus);
      samples.push(last.wallMs);
    }
    const { summary } = last.report;
    const processed = summary.changed + summary.unchanged + summary.errors;
    rows.push({
      runner: 'ctx-codemod',
      transform: label,
      cpus,
      files: processed,
      medianWallMs: Math.round(median(samples)),
      filesPerSecond: Math.round((processed / median(samples)) * 1000),
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
  const samples = [];
  for (let run = 0; run < runs; run++) samples.push(runJscodeshift(cpus));
  rows.push({ runner: 'jscodeshift --no-babel', transform: 'noop-parse-print', cpus, medianWallMs: Math.round(median(samples)) });
}
console.log(JSON.stringify({ corpus, runs, rows }, null, 2));
