// The real-code regression suite (`npm run test:real-code`): lint a pinned corpus of published
// packages with the built plugin and compare every report with the judged expectations.
//
//   node real-code/run.mjs              compare; exit 1 with a diff on any new report, missing
//                                       report or changed verdict
//   node real-code/run.mjs --update     rewrite expectations.txt from this run, keeping every
//                                       judgement (new reports come in as `unjudged`)
//   node real-code/run.mjs --precision  also print per-rule precision of the judged entries
//   --no-build                          skip `npm run build` (dist/ is already current)
//   --corpus <file> --expectations <file>  other lists (defaults: real-code/corpus.json,
//                                       real-code/expectations.txt)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { ensureCorpus, readCorpus } from './lib/corpus.mjs';
import {
  compare,
  describeDifference,
  formatExpectations,
  formatPrecision,
  parseExpectations,
  parseSite,
  precisionByRule,
  UNJUDGED,
} from './lib/expectations.mjs';
import { lintCorpus, REPO_ROOT } from './lint-corpus.mjs';

export const RULES = ['no-floating-disposable', 'no-global-stdout-rebinding', 'no-nested-reuse', 'no-use-after-dispose', 'no-using-escape', 'prefer-using'];

const HEADER = `# Judged reports of eslint-plugin-ctx on the real-code corpus (real-code/corpus.json).
# Checked by \`npm run test:real-code\`; rewritten, keeping judgements, by
# \`node real-code/run.mjs --update\`. One site a line:
#
#   <pkg>@<version>/<path>:<line> <rule> <observed> <verdict> | <reason>
#
# observed: the messageId the rule reports there, or no-report (an expected-clean site).
# verdict:  right | wrong-verdict:<messageId that would be right> | false-report
#           | missed:<messageId> (no-report only: a hazard the rule does not report) | unjudged
# A judgement is about the site, so it survives a change of the rule's output: --update
# re-derives the verdict word (a fixed false report becomes "no-report right").
`;

const { values: options } = parseArgs({
  options: {
    update: { type: 'boolean', default: false },
    precision: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    corpus: { type: 'string', default: path.join(REPO_ROOT, 'real-code', 'corpus.json') },
    expectations: { type: 'string', default: path.join(REPO_ROOT, 'real-code', 'expectations.txt') },
  },
});

if (!options['no-build']) {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

const packages = ensureCorpus(readCorpus(options.corpus), path.join(REPO_ROOT, '.cache', 'real-code'));
const { reports, unparsable, files } = await lintCorpus(packages, RULES);

const expectationsText = existsSync(options.expectations) ? readFileSync(options.expectations, 'utf8') : '';
const { entries, errors } = parseExpectations(expectationsText);
if (errors.length > 0) {
  console.error(`${options.expectations}:\n  ${errors.join('\n  ')}`);
  process.exit(2);
}

// Entries of a package that left the corpus (or changed version) are stale, not missing: they
// fail a check and are dropped by --update.
const corpusIds = new Set(packages.map((entry) => `${entry.name}@${entry.version}`));
const isCurrent = (/** @type {{ site: string }} */ entry) => {
  const site = parseSite(entry.site);
  return site !== undefined && corpusIds.has(`${site.pkg}@${site.version}`);
};
const stale = entries.filter((entry) => !isCurrent(entry));
const { differences, updated } = compare(entries.filter(isCurrent), reports);
const counts = RULES.map((rule) => `${rule} ${reports.filter((report) => report.rule === rule).length}`).join(', ');
console.log(`real-code: ${packages.length} packages, ${files} files, ${reports.length} reports (${counts})`);
if (unparsable.length > 0) {
  console.log(`  ${unparsable.length} files do not parse and are not checked:`);
  for (const line of unparsable) console.log(`    ${line}`);
}

if (stale.length > 0) {
  const verb = options.update ? 'dropped' : 'found';
  console.log(`${verb} ${stale.length} entries of packages not in the corpus (first: ${stale[0]?.site})`);
}
if (options.update) {
  writeFileSync(options.expectations, formatExpectations(updated, HEADER));
  const fresh = updated.filter((entry) => entry.verdict === UNJUDGED).length;
  console.log(`wrote ${path.relative(process.cwd(), options.expectations)}: ${updated.length} entries, ${fresh} unjudged`);
  for (const difference of differences) console.log(`  ${describeDifference(difference)}`);
}
if (options.precision || options.update) {
  console.log('');
  console.log(formatPrecision(precisionByRule(options.update ? updated : entries)));
  console.log('precision = right / judged reports; real hazard = (right + wrong verdict) / judged reports');
}
if (!options.update && (differences.length > 0 || stale.length > 0)) {
  console.error(`\n${differences.length} differences from ${path.relative(process.cwd(), options.expectations)}:`);
  for (const difference of differences) console.error(`  ${describeDifference(difference)}`);
  console.error('\nRead each site; if the change is right, run `node real-code/run.mjs --update --no-build` and judge the new entries.');
  process.exit(1);
}
if (!options.update) console.log('real-code: every report matches its judged expectation');
