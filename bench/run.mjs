// `npm run bench`: what the plugin and the codemod cost on a pinned corpus of published
// packages (bench/corpus.json, downloaded and verified into the ignored .cache/bench/), next to
// their nearest peers, measured side by side, medians of --runs runs (default 3). Not a test:
// it writes bench/RESULTS.md (or --out) and fails only when a tool fails or two ESLint modes
// disagree on the reports.
//
//   node bench/run.mjs [--runs 3] [--scales 1,2,4] [--cpus 2] [--sections 1,2,3,4,5,6,7] [--no-build] [--out file]
//
// Sections: (1) each ctx rule and all of them vs core no-unused-vars (ESLint TIMING, one run);
// (2) typed: recommended-type-checked ctx rules vs @typescript-eslint/no-floating-promises on
// the typed subset; (3) ctx-codemod try-finally-to-using --dry vs a jscodeshift no-op transform,
// same files and workers, wall time and peak RSS, on the corpus and on the larger codemod corpus
// (the corpus plus the entries marked `codemodOnly`); (4) growth at 1x, 2x, 4x the corpus;
// (5) ESLint --concurrency 2 and --cache (second run) vs a plain run, reports compared;
// (6) each ctx rule vs core no-unused-vars on the real-code corpus (real-code/corpus.json, the
// files `npm run test:real-code` lints), ESLint TIMING, medians of --runs runs; (7) the same on
// ordinary code: the codemod-only packages of bench/corpus.json, chosen for no rule's sake.
// `--sections 3` runs the codemod comparison alone (section 5 needs section 1's runs).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { ensureCorpus, packageDirName, readCorpus, sourceFiles } from '../real-code/lib/corpus.mjs';
import { REPO_ROOT } from '../real-code/lint-corpus.mjs';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    scales: { type: 'string', default: '1,2,4' },
    cpus: { type: 'string', default: '2' },
    sections: { type: 'string', default: '1,2,3,4,5,6,7' },
    'no-build': { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(REPO_ROOT, 'bench', 'RESULTS.md') },
  },
});
const RUNS = Number(options.runs);
const SCALES = options.scales.split(',').map(Number);
const CPUS = options.cpus;
const SECTIONS = new Set(options.sections.split(',').map(Number));
// Section 5 reuses section 1's runs (and section 4 its 1x row): they run together.
if (SECTIONS.has(5) || SECTIONS.has(4)) SECTIONS.add(1);
/** The rules issue 7 budgets together (at most 0.4× no-unused-vars on the real-code corpus). */
const PROBLEM_RULES = ['no-global-stdout-rebinding', 'no-nested-reuse', 'no-use-after-dispose'];
const CTX_RULES = ['no-floating-disposable', 'no-global-stdout-rebinding', 'no-nested-reuse', 'no-use-after-dispose', 'no-using-escape', 'prefer-using'];

const CACHE = path.join(REPO_ROOT, '.cache', 'bench');
const WORK = path.join(CACHE, 'work');
const ESLINT_BIN = path.join(REPO_ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const JSCODESHIFT_BIN = path.join(REPO_ROOT, 'node_modules', 'jscodeshift', 'bin', 'jscodeshift.js');
const CODEMOD_BIN = path.join(REPO_ROOT, 'dist', 'codemods', 'cli.js');
const NOOP_TRANSFORM = path.join(REPO_ROOT, 'bench', 'noop-transform.mjs');
const log = (/** @type {string} */ line) => console.error(`[bench] ${line}`);

if (!options['no-build']) execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });

// --- corpus: the same files for every tool, copied out of the unpacked packages -----------
const corpus = readCorpus(path.join(REPO_ROOT, 'bench', 'corpus.json'));
const isCodemodOnly = (/** @type {{ codemodOnly?: boolean }} */ entry) => entry.codemodOnly === true;
// ESLint sections 1 to 5 stay on the small corpus (they run many times, at up to 4x); the codemod
// comparison also runs on the larger one, where start-up costs no longer hide the per-file ones,
// and section 7 times the rules on it as ordinary code.
const codemodOnlyPackages = SECTIONS.has(3) || SECTIONS.has(7) ? ensureCorpus(corpus.filter(isCodemodOnly), CACHE, { log }) : [];
const packages = ensureCorpus(corpus.filter((entry) => !isCodemodOnly(entry)), CACHE, { log });
rmSync(WORK, { recursive: true, force: true });
const base = path.join(WORK, 'x1');
/** @type {string[]} */
const files = [];
/** @type {string[]} */
const typedDirs = [];
for (const entry of packages) {
  const dirName = packageDirName(entry);
  const names = sourceFiles(entry.dir, { include: /** @type {{ include?: string[] }} */ (entry).include });
  for (const name of names) {
    const target = path.join(base, dirName, name);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(entry.dir, name), target);
    files.push(path.relative(base, target));
  }
  if (/** @type {{ typed?: boolean }} */ (entry).typed) {
    // Tarballs ship no tsconfig: give each typed package one over its own sources. Its
    // dependencies are not installed, so their types are `any`; both sides of the comparison
    // see the same program.
    writeFileSync(
      path.join(base, dirName, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM', 'esnext.disposable'],
          strict: true,
          skipLibCheck: true,
          noEmit: true,
          allowJs: false,
        },
        include: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
      }),
    );
    typedDirs.push(dirName);
  }
}
/** Files of the codemod-only packages, relative to WORK. */
/** @type {string[]} */
const codemodOnlyFiles = [];
for (const entry of codemodOnlyPackages) {
  const dirName = packageDirName(entry);
  for (const name of sourceFiles(entry.dir, { include: /** @type {{ include?: string[] }} */ (entry).include })) {
    const target = path.join(WORK, 'codemod', dirName, name);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(entry.dir, name), target);
    codemodOnlyFiles.push(path.relative(WORK, target));
  }
}
for (const scale of SECTIONS.has(4) ? SCALES.filter((value) => value > 1) : []) {
  for (let copy = 1; copy <= scale; copy += 1) cpSync(base, path.join(WORK, `x${scale}`, `copy-${copy}`), { recursive: true });
}
const lineCount = files.reduce((sum, file) => sum + readFileSync(path.join(base, file), 'utf8').split('\n').length, 0);
log(`corpus: ${packages.length} packages, ${files.length} files, ${lineCount} lines`);

// --- ESLint configs, written next to the corpus (flat config resolves files from its folder) ---
const pluginUrl = new URL(`file://${path.join(REPO_ROOT, 'dist', 'index.js')}`).href;
const common = `import ctx from ${JSON.stringify(pluginUrl)};
import tsParser from ${JSON.stringify(import.meta.resolve('@typescript-eslint/parser'))};
const TS = ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'];
const base = [
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', ...TS] },
  { ignores: ['**/tsconfig.json'] },
  { linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
  { files: ['**/*.jsx', '**/*.tsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  { files: TS, languageOptions: { parser: tsParser } },
];
`;
writeFileSync(
  path.join(WORK, 'eslint.untyped.mjs'),
  `${common}export default [...base, { plugins: { ctx }, rules: {
  'no-unused-vars': 'error',
${CTX_RULES.map((rule) => `  'ctx/${rule}': 'error',`).join('\n')}
} }];\n`,
);
writeFileSync(
  path.join(WORK, 'eslint.typed.mjs'),
  `${common}import tseslint from ${JSON.stringify(import.meta.resolve('typescript-eslint'))};
export default [...base, {
  files: TS,
  plugins: { ctx, '@typescript-eslint': tseslint.plugin },
  languageOptions: { parserOptions: { project: ${JSON.stringify(typedDirs.map((dir) => `./x1/${dir}/tsconfig.json`))}, tsconfigRootDir: ${JSON.stringify(WORK)} } },
  rules: { ...ctx.configs['recommended-type-checked'].rules, '@typescript-eslint/no-floating-promises': 'error' },
}];\n`,
);

// --- running things ---------------------------------------------------------------------
const timeFile = path.join(CACHE, 'time.txt');
/**
 * Runs a command under GNU time: wall seconds, peak resident set (largest process, KB) and CPU
 * seconds (user + system, of the process and the children it waited for: jscodeshift's worker
 * processes, ctx-codemod's worker threads). On a shared machine CPU time is the steadier figure.
 * @param {string[]} argv
 * @param {{ cwd?: string, env?: Record<string, string> }} [settings]
 */
function timed(argv, { cwd = WORK, env = {} } = {}) {
  const result = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', '-o', timeFile, ...argv], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const [wall = NaN, rss = NaN, user = NaN, system = NaN] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, wall, rssMb: rss / 1024, cpu: user + system };
}

/** ESLint's TIMING table (`TIMING=all`) as rule -> milliseconds. */
function parseTiming(/** @type {string} */ stdout) {
  /** @type {Record<string, number>} */
  const times = {};
  for (const line of stdout.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length === 3 && /^\d+(\.\d+)?$/.test(cells[1] ?? '')) times[/** @type {string} */ (cells[0])] = Number(cells[1]);
  }
  return times;
}

/**
 * @param {string[]} targets folders or files relative to `cwd`
 * @param {{ config?: string, extra?: string[], timing?: boolean, json?: string, cwd?: string }} [settings]
 */
function eslint(targets, { config = 'eslint.untyped.mjs', extra = [], timing = false, json, cwd = WORK } = {}) {
  const argv = [process.execPath, ESLINT_BIN, '-c', config, '--no-warn-ignored', ...extra];
  if (json) argv.push('-f', 'json', '-o', json);
  const run = timed([...argv, ...targets], { cwd, env: timing ? { TIMING: 'all' } : {} });
  // ESLint exits 1 when it reports problems: expected here; 2 is a crash or bad config.
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed (${run.status}):\n${run.stderr}`);
  return { ...run, timing: parseTiming(run.stdout) };
}

/** Reports of an ESLint JSON output, as sorted lines, for comparing two modes. */
function reportLines(/** @type {string} */ jsonFile) {
  /** @type {{ filePath: string, messages: { line: number, column: number, ruleId: string | null, messageId?: string }[] }[]} */
  const results = JSON.parse(readFileSync(jsonFile, 'utf8'));
  return results
    .flatMap((result) =>
      result.messages.map((message) => `${path.relative(WORK, result.filePath)}:${message.line}:${message.column} ${message.ruleId} ${message.messageId ?? ''}`),
    )
    .sort();
}

const median = (/** @type {number[]} */ values) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? /** @type {number} */ (sorted[middle]) : (/** @type {number} */ (sorted[middle - 1]) + /** @type {number} */ (sorted[middle])) / 2;
};
const fixed = (/** @type {number} */ value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const ratio = (/** @type {number} */ part, /** @type {number} */ whole) => (whole > 0 ? `${(part / whole).toFixed(2)}×` : '-');
const table = (/** @type {string[]} */ header, /** @type {string[][]} */ rows) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');

/** Flags of the built ctx-codemod, read from its --help so a renamed flag fails loudly here. */
function codemodFlags() {
  const help = execFileSync(process.execPath, [CODEMOD_BIN, '--help'], { encoding: 'utf8' });
  const has = (/** @type {string} */ flag) => new RegExp(`(^|[\\s,])${flag}(?=[\\s=,<]|$)`, 'm').test(help);
  const dry = has('--dry') ? '--dry' : has('--check') ? '--check' : undefined;
  const cpus = ['--cpus', '--workers', '--jobs'].find(has);
  if (!dry || !cpus) throw new Error(`ctx-codemod --help names no dry-run or worker flag:\n${help}`);
  return { dry, cpus, noGitignore: has('--no-gitignore') ? ['--no-gitignore'] : [] };
}

// --- (1) and (5): plain, --concurrency 2 and --cache, RUNS times, interleaved -------------------
const targets = ['x1'];
/** @type {Record<string, number>[]} */
const timings = [];
/** @type {Record<string, number[]>} */
const walls = { plain: [], concurrency: [], cacheFirst: [], cacheSecond: [] };
/** @type {Record<string, string[]>} */
const reportSets = {};
const cacheLocation = path.join(CACHE, 'eslintcache');
for (let run = 1; run <= RUNS && SECTIONS.has(1); run += 1) {
  log(`untyped run ${run}/${RUNS}`);
  const plain = eslint(targets, { timing: true, json: path.join(CACHE, 'plain.json') });
  timings.push(plain.timing);
  walls.plain?.push(plain.wall);
  reportSets.plain = reportLines(path.join(CACHE, 'plain.json'));
  const concurrent = eslint(targets, { extra: ['--concurrency', '2'], json: path.join(CACHE, 'concurrency.json') });
  walls.concurrency?.push(concurrent.wall);
  reportSets.concurrency = reportLines(path.join(CACHE, 'concurrency.json'));
  rmSync(cacheLocation, { force: true, recursive: true });
  const cacheArgs = ['--cache', '--cache-location', cacheLocation];
  walls.cacheFirst?.push(eslint(targets, { extra: cacheArgs }).wall);
  walls.cacheSecond?.push(eslint(targets, { extra: cacheArgs, json: path.join(CACHE, 'cache.json') }).wall);
  reportSets.cache = reportLines(path.join(CACHE, 'cache.json'));
}
const plainReports = reportSets.plain ?? [];
const sameReports = Object.fromEntries(
  Object.entries(reportSets).map(([mode, lines]) => [mode, lines.length === plainReports.length && lines.every((line, index) => line === plainReports[index])]),
);

const medianTiming = (/** @type {Record<string, number>[]} */ runs, /** @type {string} */ rule) => median(runs.map((times) => times[rule] ?? NaN));
const unusedVars = medianTiming(timings, 'no-unused-vars');
const ctxTotal = median(timings.map((times) => CTX_RULES.reduce((sum, rule) => sum + (times[`ctx/${rule}`] ?? 0), 0)));

// --- (2) typed ---------------------------------------------------------------------------
const typedRules = [...Object.keys(/** @type {Record<string, unknown>} */ ((await import(pluginUrl)).default.configs['recommended-type-checked'].rules)), '@typescript-eslint/no-floating-promises'];
/** @type {Record<string, number>[]} */
const typedTimings = [];
const typedWalls = [];
const typedTargets = typedDirs.map((dir) => `x1/${dir}`);
const typedFiles = files.filter((file) => typedDirs.some((dir) => file.startsWith(`${dir}/`)) && /\.[cm]?tsx?$/.test(file)).length;
for (let run = 1; run <= RUNS && typedTargets.length > 0 && SECTIONS.has(2); run += 1) {
  log(`typed run ${run}/${RUNS}`);
  const typed = eslint(typedTargets, { config: 'eslint.typed.mjs', timing: true });
  typedTimings.push(typed.timing);
  typedWalls.push(typed.wall);
}

// --- (3) codemod vs jscodeshift no-op, same files, same workers, on both corpora -------------
const flags = SECTIONS.has(3) ? codemodFlags() : undefined;
const x1Files = files.map((file) => path.join('x1', file));
const codemodCorpora = [
  { name: 'corpus', files: x1Files },
  ...(codemodOnlyFiles.length > 0 ? [{ name: 'codemod corpus', files: [...x1Files, ...codemodOnlyFiles] }] : []),
].map((entry) => ({
  ...entry,
  /** @type {{ wall: number[], rss: number[], cpu: number[] }} */
  codemod: { wall: [], rss: [], cpu: [] },
  /** @type {{ wall: number[], rss: number[], cpu: number[] }} */
  noop: { wall: [], rss: [], cpu: [] },
  /** Files ctx-codemod had to parse (not ruled out by its text pre-check), from its summary. */
  parsed: NaN,
}));
for (let run = 1; run <= RUNS && flags; run += 1) {
  for (const measured of codemodCorpora) {
    log(`codemod run ${run}/${RUNS}, ${measured.name} (${measured.files.length} files)`);
    const ours = timed([process.execPath, CODEMOD_BIN, 'try-finally-to-using', flags.dry, flags.cpus, CPUS, ...flags.noGitignore, ...measured.files]);
    if (ours.status !== 0 && ours.status !== 1 && ours.status !== 2) throw new Error(`ctx-codemod failed (${ours.status}):\n${ours.stderr}`);
    measured.codemod.wall.push(ours.wall);
    measured.codemod.rss.push(ours.rssMb);
    measured.codemod.cpu.push(ours.cpu);
    const ruledOut = /\((\d+) ruled out without parsing\)/.exec(ours.stderr);
    measured.parsed = measured.files.length - Number(ruledOut?.[1] ?? 0);
    const theirs = timed([
      process.execPath,
      JSCODESHIFT_BIN,
      '--dry',
      '--silent',
      `--cpus=${CPUS}`,
      '--parser=tsx',
      '--extensions=js,jsx,mjs,cjs,ts,tsx,mts,cts',
      '-t',
      NOOP_TRANSFORM,
      ...measured.files,
    ]);
    if (theirs.status !== 0) throw new Error(`jscodeshift failed (${theirs.status}):\n${theirs.stderr}`);
    measured.noop.wall.push(theirs.wall);
    measured.noop.rss.push(theirs.rssMb);
    measured.noop.cpu.push(theirs.cpu);
  }
}

// --- (4) growth ----------------------------------------------------------------------------
/** @type {{ scale: number, files: number, wall: number, ctx: number, unused: number }[]} */
const growth = [];
for (const scale of SECTIONS.has(4) ? SCALES : []) {
  if (scale === 1) {
    growth.push({ scale, files: files.length, wall: median(walls.plain ?? []), ctx: ctxTotal, unused: unusedVars });
    continue;
  }
  /** @type {Record<string, number>[]} */
  const scaled = [];
  const scaledWalls = [];
  for (let run = 1; run <= RUNS; run += 1) {
    log(`growth ${scale}x run ${run}/${RUNS}`);
    const result = eslint([`x${scale}`], { timing: true });
    scaled.push(result.timing);
    scaledWalls.push(result.wall);
  }
  growth.push({
    scale,
    files: files.length * scale,
    wall: median(scaledWalls),
    ctx: median(scaled.map((times) => CTX_RULES.reduce((sum, rule) => sum + (times[`ctx/${rule}`] ?? 0), 0))),
    unused: medianTiming(scaled, 'no-unused-vars'),
  });
}

// --- (6) the real-code corpus: the files `npm run test:real-code` lints, in place ------------
const realCodePackages = SECTIONS.has(6) ? ensureCorpus(readCorpus(path.join(REPO_ROOT, 'real-code', 'corpus.json')), path.join(REPO_ROOT, '.cache', 'real-code'), { log }) : [];
/** Files relative to the packages folder (the config must sit above them: flat config ignores files outside its folder). */
const realCodeFiles = realCodePackages.flatMap((entry) =>
  sourceFiles(entry.dir, { include: /** @type {{ include?: string[] }} */ (entry).include }).map((name) => path.join(packageDirName(entry), name)),
);
const realCodeRoot = realCodePackages[0] ? path.dirname(realCodePackages[0].dir) : WORK;
const realCodeRows = SECTIONS.has(6) ? costRows(timeRules(realCodeRoot, realCodeFiles, 'real-code corpus')) : [];

/**
 * Section 6 and 7's table: each ctx rule against no-unused-vars, the median and each run's own
 * ratio, and the problem rules' sum (a ratio of a sum is read from one run).
 */
function costRows(/** @type {Record<string, number>[]} */ runs) {
  const unused = medianTiming(runs, 'no-unused-vars');
  const perRunRatio = (/** @type {string[]} */ rules) =>
    runs.map((times) => rules.reduce((sum, rule) => sum + (times[`ctx/${rule}`] ?? 0), 0) / (times['no-unused-vars'] ?? NaN));
  return [
    ['no-unused-vars (core)', fixed(unused), '1.00×', runs.map(() => '1.00').join(' / ')],
    ...CTX_RULES.map((rule) => {
      const value = medianTiming(runs, `ctx/${rule}`);
      return [`ctx/${rule}`, fixed(value), ratio(value, unused), perRunRatio([rule]).map((value) => fixed(value, 2)).join(' / ')];
    }),
    [`the three problem rules together (${PROBLEM_RULES.join(', ')})`, '', `${fixed(median(perRunRatio(PROBLEM_RULES)), 2)}×`, perRunRatio(PROBLEM_RULES).map((value) => fixed(value, 2)).join(' / ')],
  ];
}

/**
 * ESLint with every ctx rule on (the untyped config, copied into `root`: a flat config only
 * lints files below its own folder) over `files` relative to `root`, with TIMING, RUNS times.
 */
function timeRules(/** @type {string} */ root, /** @type {string[]} */ files, /** @type {string} */ label) {
  writeFileSync(path.join(root, 'eslint.bench.mjs'), readFileSync(path.join(WORK, 'eslint.untyped.mjs'), 'utf8'));
  /** @type {Record<string, number>[]} */
  const runs = [];
  for (let run = 1; run <= RUNS; run += 1) {
    log(`${label} run ${run}/${RUNS} (${files.length} files)`);
    runs.push(eslint(files, { config: 'eslint.bench.mjs', timing: true, json: path.join(CACHE, 'timed.json'), cwd: root }).timing);
  }
  return runs;
}

// --- (7) ordinary code: the codemod-only packages, picked as well-known code, not for any rule --
const ordinaryRoot = path.join(WORK, 'codemod');
const ordinaryFiles = codemodOnlyFiles.map((file) => path.relative(ordinaryRoot, path.join(WORK, file)));
const ordinaryRows = SECTIONS.has(7) ? costRows(timeRules(ordinaryRoot, ordinaryFiles, 'ordinary-code corpus')) : [];

// --- RESULTS.md ------------------------------------------------------------------------------
const cpuModel = os.cpus()[0]?.model ?? 'unknown CPU';
const load = os.loadavg().map((value) => value.toFixed(2)).join(' ');
const eslintVersion = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', 'eslint', 'package.json'), 'utf8')).version;
const jscodeshiftVersion = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', 'jscodeshift', 'package.json'), 'utf8')).version;
const tsEslintVersion = JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', 'typescript-eslint', 'package.json'), 'utf8')).version;
const gitHead = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout.trim();

const ruleRows = [
  ['no-unused-vars (core)', fixed(unusedVars), '1.00×'],
  ...CTX_RULES.map((rule) => {
    const value = medianTiming(timings, `ctx/${rule}`);
    return [`ctx/${rule}`, fixed(value), ratio(value, unusedVars)];
  }),
  ['all ctx rules together', fixed(ctxTotal), ratio(ctxTotal, unusedVars)],
];
const floating = medianTiming(typedTimings, '@typescript-eslint/no-floating-promises');
const typedRows = typedRules.map((rule) => {
  const value = medianTiming(typedTimings, rule);
  return [rule, fixed(value), ratio(value, floating)];
});
const typedCtx = median(typedTimings.map((times) => typedRules.filter((rule) => rule.startsWith('ctx/')).reduce((sum, rule) => sum + (times[rule] ?? 0), 0)));
typedRows.push(['all ctx rules together', fixed(typedCtx), ratio(typedCtx, floating)]);

const results = [
  `# Benchmarks

Written by \`npm run bench\` (\`bench/run.mjs\`); not a test. Figures are medians of ${RUNS} runs,
measured side by side in one invocation.

- Date: ${new Date().toISOString()}; commit ${gitHead}
- Machine: ${os.cpus().length} × ${cpuModel}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}; Node ${process.version}; load average at the end ${load} (a shared machine: wall times are noisy, ratios within one run are the figure to read)
- Tools: ESLint ${eslintVersion}, typescript-eslint ${tsEslintVersion}, jscodeshift ${jscodeshiftVersion}
- Corpus (bench/corpus.json, pinned with integrity): ${packages.map((entry) => `${entry.name}@${entry.version}`).join(', ')}: ${files.length} files, ${lineCount} lines. The typed subset is the TypeScript sources of ${typedDirs.map((dir) => dir.replace('+', '/')).join(', ')} (${typedFiles} files, a generated tsconfig each; their dependencies are not installed, so imported types are \`any\`).

`,
  SECTIONS.has(1) ? `## 1. Rule cost versus core \`no-unused-vars\` (ESLint \`TIMING=all\`, one run with every ctx rule on)

${table(['rule', 'time (ms)', 'vs no-unused-vars'], ruleRows)}

` : '',
  SECTIONS.has(2) ? `## 2. With type information: \`recommended-type-checked\` versus \`@typescript-eslint/no-floating-promises\`

Typed subset, ${typedFiles} files; the program is built by the parser, so rule times exclude it. Wall time of the whole typed run: ${fixed(median(typedWalls))} s.

${table(['rule', 'time (ms)', 'vs no-floating-promises'], typedRows)}

` : '',
  SECTIONS.has(3) ? `## 3. \`ctx-codemod try-finally-to-using ${flags?.dry}\` versus a jscodeshift no-op transform

Same files, ${CPUS} workers each (\`${flags?.cpus} ${CPUS}\` / \`--cpus=${CPUS}\`), every file named on the command line. The no-op is \`j(file.source).toSource()\` (bench/noop-transform.mjs) with \`--parser=tsx\` for every file; ctx-codemod picks its parser by extension and parses only the files its text pre-check cannot rule out ("parsed"). The codemod corpus is the corpus plus the bench/corpus.json entries marked \`codemodOnly\` (${codemodOnlyPackages.map((entry) => `${entry.name}@${entry.version}`).join(', ')}). Wall is the figure the target is about; CPU (user + system, worker threads and waited-for worker processes included) is steadier on a shared machine. Peak RSS is GNU time's maximum resident set of the largest process: ctx-codemod runs worker threads in one process, jscodeshift forks worker processes, so its figure is one worker, not the sum.

${table(
  ['corpus', 'files', 'parsed', 'ctx-codemod wall (s)', 'no-op wall (s)', 'wall ratio', 'ctx-codemod CPU (s)', 'no-op CPU (s)', 'CPU ratio', 'ctx-codemod RSS (MB)', 'no-op RSS (MB)'],
  codemodCorpora.map((measured) => [
    measured.name,
    String(measured.files.length),
    String(measured.parsed),
    fixed(median(measured.codemod.wall), 2),
    fixed(median(measured.noop.wall), 2),
    ratio(median(measured.codemod.wall), median(measured.noop.wall)),
    fixed(median(measured.codemod.cpu), 2),
    fixed(median(measured.noop.cpu), 2),
    ratio(median(measured.codemod.cpu), median(measured.noop.cpu)),
    fixed(median(measured.codemod.rss), 0),
    fixed(median(measured.noop.rss), 0),
  ]),
)}

` : '',
  SECTIONS.has(4) ? `## 4. Growth with the corpus size (every ctx rule, plain run)

Copies of the same corpus in separate folders.

${table(
  ['scale', 'files', 'wall (s)', 'ctx rules (ms)', 'ctx ms / file', 'no-unused-vars (ms)'],
  growth.map((row) => [`${row.scale}×`, String(row.files), fixed(row.wall, 2), fixed(row.ctx), fixed(row.ctx / row.files, 3), fixed(row.unused)]),
)}

` : '',
  SECTIONS.has(5) ? `## 5. ESLint \`--concurrency 2\` and \`--cache\` versus a plain run

${table(
  ['mode', 'wall (s)', 'vs plain', 'reports', 'identical to plain'],
  [
    ['plain', fixed(median(walls.plain ?? []), 2), '1.00×', String(plainReports.length), '-'],
    ['--concurrency 2', fixed(median(walls.concurrency ?? []), 2), ratio(median(walls.concurrency ?? []), median(walls.plain ?? [])), String(reportSets.concurrency?.length), sameReports.concurrency ? 'yes' : 'NO'],
    ['--cache, first run', fixed(median(walls.cacheFirst ?? []), 2), ratio(median(walls.cacheFirst ?? []), median(walls.plain ?? [])), '', ''],
    ['--cache, second run', fixed(median(walls.cacheSecond ?? []), 2), ratio(median(walls.cacheSecond ?? []), median(walls.plain ?? [])), String(reportSets.cache?.length), sameReports.cache ? 'yes' : 'NO'],
  ],
)}

` : '',
  SECTIONS.has(6) ? `## 6. Rule cost on the real-code corpus (ESLint \`TIMING=all\`, every ctx rule on)

The ${realCodeFiles.length} files \`npm run test:real-code\` lints (real-code/corpus.json: ${realCodePackages.length} pinned packages, linted in place, the files selected as that suite selects them), medians of ${RUNS} ESLint runs; the last column gives each run's own ratio.

${table(['rule', 'time (ms)', 'vs no-unused-vars (median)', 'per run'], realCodeRows)}

` : '',
  SECTIONS.has(7) ? `## 7. Rule cost on ordinary code (ESLint \`TIMING=all\`, every ctx rule on)

The ${ordinaryFiles.length} files of the bench/corpus.json entries marked \`codemodOnly\` (${codemodOnlyPackages.map((entry) => `${entry.name}@${entry.version}`).join(', ')}): well-known packages picked as ordinary code, not for any rule's targets, unlike the real-code corpus of section 6, which was picked for them. Medians of ${RUNS} ESLint runs; the last column gives each run's own ratio.

${table(['rule', 'time (ms)', 'vs no-unused-vars (median)', 'per run'], ordinaryRows)}

` : '',
].join('');
writeFileSync(options.out, results);
console.log(results);
if (SECTIONS.has(5) && (!sameReports.concurrency || !sameReports.cache)) {
  console.error('bench: --concurrency or --cache changed the reports (see the last table)');
  process.exit(1);
}
if (!existsSync(options.out)) process.exit(1);
