// The judged expectations of the real-code suite: parse, compare with a run, update, and count
// precision. Plain ESM so that `node real-code/run.mjs` needs no compile step; its types are in
// expectations.d.mts for the unit test.
//
// One entry a line:
//
//   <pkg>@<version>/<path>:<line> <rule> <observed> <verdict> | <reason>
//
// <observed> is what the rule says there: a messageId, or `no-report` for an expected-clean
// site. <verdict> is the reviewer's judgement of that observation:
//   right                  the report is right, with the right message (or: silence is right)
//   wrong-verdict:<id>     a real hazard, but the message should be <id>
//   false-report           nothing is wrong at this site
//   missed:<id>            (no-report only) a hazard the rule does not report; <id> would be right
//   unjudged               not read yet (written by --update for new reports)
//
// Internally a judgement is the truth about the site (which messageId, if any, a perfect rule
// would give there), so a judgement survives a change of the rule's output: --update re-derives
// the verdict word from the truth and the new observation.

export const NO_REPORT = 'no-report';
export const UNJUDGED = 'unjudged';

const SITE_PATTERN = /^((?:@[^/@\s]+\/)?[^/@\s]+)@([^/\s]+)\/(\S+):(\d+)$/;
const VERDICT_PATTERN = /^(right|false-report|unjudged|wrong-verdict:[A-Za-z]+|missed:[A-Za-z]+)$/;

/** @param {string} site */
export function parseSite(site) {
  const match = SITE_PATTERN.exec(site);
  if (!match) return undefined;
  return { pkg: match[1], version: match[2], file: match[3], line: Number(match[4]) };
}

/**
 * The truth an entry states: `undefined` when unjudged, `null` when the site is hazard-free,
 * else the messageId a right report carries.
 * @param {string} observed
 * @param {string} verdict
 */
export function truthOf(observed, verdict) {
  if (verdict === UNJUDGED) return undefined;
  if (verdict === 'right') return observed === NO_REPORT ? null : observed;
  if (verdict === 'false-report') return null;
  return verdict.slice(verdict.indexOf(':') + 1);
}

/**
 * The verdict word for an observation, given the truth about the site.
 * @param {string} observed
 * @param {string | null | undefined} truth
 */
export function verdictFor(observed, truth) {
  if (truth === undefined) return UNJUDGED;
  if (observed === NO_REPORT) return truth === null ? 'right' : `missed:${truth}`;
  if (truth === null) return 'false-report';
  return truth === observed ? 'right' : `wrong-verdict:${truth}`;
}

/**
 * @param {string} text
 * @returns {{ entries: import('./expectations.d.mts').Entry[], errors: string[] }}
 */
export function parseExpectations(text) {
  const entries = [];
  const errors = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const bar = line.indexOf(' | ');
    const head = (bar === -1 ? line : line.slice(0, bar)).trim().split(/\s+/);
    const reason = bar === -1 ? '' : line.slice(bar + 3).trim();
    const where = `line ${index + 1}`;
    if (head.length !== 4) {
      errors.push(`${where}: expected "<site> <rule> <observed> <verdict> | <reason>", got ${JSON.stringify(line)}`);
      return;
    }
    const [site, rule, observed, verdict] = /** @type {[string, string, string, string]} */ (head);
    if (!parseSite(site)) errors.push(`${where}: bad site ${JSON.stringify(site)} (want pkg@version/path:line)`);
    else if (!VERDICT_PATTERN.test(verdict)) errors.push(`${where}: bad verdict ${JSON.stringify(verdict)}`);
    else if (verdict.startsWith('missed:') && observed !== NO_REPORT)
      errors.push(`${where}: "missed:" only goes with ${NO_REPORT}`);
    else if (verdict !== UNJUDGED && verdict !== 'right' && reason === '')
      errors.push(`${where}: a ${verdict} judgement needs a reason after " | "`);
    else entries.push({ site, rule, observed, verdict, reason });
  });
  const cleanKeys = new Set(entries.filter((e) => e.observed === NO_REPORT).map(keyOf));
  for (const entry of entries) {
    if (entry.observed !== NO_REPORT && cleanKeys.has(keyOf(entry)))
      errors.push(`${entry.site} ${entry.rule}: both a report and a ${NO_REPORT} line`);
  }
  return { entries, errors };
}

/** @param {{ site: string, rule: string }} item */
const keyOf = (item) => `${item.site} ${item.rule}`;

/**
 * Pairs a run's reports with the expectations, site by site: a site+rule may carry several
 * reports (two rebindings on one line), matched as a multiset of messageIds.
 * @param {import('./expectations.d.mts').Entry[]} entries
 * @param {import('./expectations.d.mts').Report[]} reports
 */
export function compare(entries, reports) {
  /** @type {Map<string, { expected: import('./expectations.d.mts').Entry[], observed: import('./expectations.d.mts').Report[], clean?: import('./expectations.d.mts').Entry }>} */
  const byKey = new Map();
  const slot = (/** @type {string} */ key) => {
    let value = byKey.get(key);
    if (!value) byKey.set(key, (value = { expected: [], observed: [] }));
    return value;
  };
  for (const entry of entries) {
    if (entry.observed === NO_REPORT) slot(keyOf(entry)).clean = entry;
    else slot(keyOf(entry)).expected.push(entry);
  }
  for (const report of reports) slot(keyOf(report)).observed.push(report);

  /** @type {import('./expectations.d.mts').Difference[]} */
  const differences = [];
  /** @type {import('./expectations.d.mts').Entry[]} */
  const updated = [];
  for (const [, { expected, observed, clean }] of [...byKey].sort(([a], [b]) => compareKeys(a, b))) {
    const unmatchedExpected = [...expected];
    const unmatchedObserved = [];
    for (const report of observed) {
      const at = unmatchedExpected.findIndex((entry) => entry.observed === report.messageId);
      if (at === -1) unmatchedObserved.push(report);
      else updated.push(/** @type {import('./expectations.d.mts').Entry} */ (unmatchedExpected.splice(at, 1)[0]));
    }
    // What is left on both sides at one site is a changed verdict; the rest is new or missing.
    while (unmatchedExpected.length > 0 && unmatchedObserved.length > 0) {
      const was = /** @type {import('./expectations.d.mts').Entry} */ (unmatchedExpected.shift());
      const now = /** @type {import('./expectations.d.mts').Report} */ (unmatchedObserved.shift());
      differences.push({ kind: 'changed', site: was.site, rule: was.rule, was, messageId: now.messageId });
      updated.push(rejudged(was, now.messageId));
    }
    for (const now of unmatchedObserved) {
      const judged = clean ?? undefined;
      differences.push({ kind: 'new', site: now.site, rule: now.rule, messageId: now.messageId, was: judged });
      updated.push(
        judged
          ? rejudged(judged, now.messageId)
          : { site: now.site, rule: now.rule, observed: now.messageId, verdict: UNJUDGED, reason: '' },
      );
    }
    for (const was of unmatchedExpected) {
      differences.push({ kind: 'missing', site: was.site, rule: was.rule, was });
      // An unjudged report that went away says nothing worth keeping; several lost reports
      // at one site collapse to one expected-clean line.
      if (was.verdict === UNJUDGED) continue;
      if (!updated.some((entry) => keyOf(entry) === keyOf(was) && entry.observed === NO_REPORT))
        updated.push(rejudged(was, NO_REPORT));
    }
    if (clean && observed.length === 0) updated.push(clean);
  }
  return { differences, updated };
}

/**
 * @param {import('./expectations.d.mts').Entry} entry
 * @param {string} observed
 */
function rejudged(entry, observed) {
  const truth = truthOf(entry.observed, entry.verdict);
  const note = `was ${entry.observed} ${entry.verdict}`;
  const reason = entry.reason.startsWith('was ') ? entry.reason : entry.reason ? `${entry.reason} (${note})` : note;
  return { site: entry.site, rule: entry.rule, observed, verdict: verdictFor(observed, truth), reason };
}

/** Sites sort by package, path, then line as a number; then rule. */
function compareKeys(/** @type {string} */ a, /** @type {string} */ b) {
  const [siteA = '', ruleA = ''] = a.split(' ');
  const [siteB = '', ruleB = ''] = b.split(' ');
  const parsedA = parseSite(siteA);
  const parsedB = parseSite(siteB);
  if (parsedA && parsedB) {
    const byFile = `${parsedA.pkg}@${parsedA.version}/${parsedA.file}`.localeCompare(
      `${parsedB.pkg}@${parsedB.version}/${parsedB.file}`,
    );
    if (byFile !== 0) return byFile;
    if (parsedA.line !== parsedB.line) return parsedA.line - parsedB.line;
  }
  return ruleA.localeCompare(ruleB);
}

/** @param {import('./expectations.d.mts').Difference} difference */
export function describeDifference(difference) {
  const judged = (/** @type {import('./expectations.d.mts').Entry | undefined} */ entry) =>
    entry ? ` [judged ${entry.verdict}${entry.reason ? `: ${entry.reason}` : ''}]` : '';
  switch (difference.kind) {
    case 'new':
      return `+ new report      ${difference.site} ${difference.rule} ${difference.messageId}${judged(difference.was)}`;
    case 'missing':
      return `- missing report  ${difference.site} ${difference.rule} ${difference.was.observed}${judged(difference.was)}`;
    case 'changed':
      return `~ changed verdict ${difference.site} ${difference.rule} ${difference.was.observed} -> ${difference.messageId}${judged(difference.was)}`;
  }
}

/**
 * @param {import('./expectations.d.mts').Entry[]} entries
 * @param {string} header
 */
export function formatExpectations(entries, header) {
  const width = Math.max(0, ...entries.map((entry) => entry.site.length));
  const lines = entries.map((entry) => {
    const head = `${entry.site.padEnd(width)} ${entry.rule} ${entry.observed} ${entry.verdict}`;
    return entry.reason ? `${head} | ${entry.reason}` : head;
  });
  return `${header.trimEnd()}\n${lines.join('\n')}\n`;
}

/**
 * Per rule: reports, judged, right, wrong verdict, false, unjudged, precision (right / judged
 * reports) and hazard precision (right + wrong verdict / judged reports), plus the
 * expected-clean sites and known misses.
 * @param {import('./expectations.d.mts').Entry[]} entries
 */
export function precisionByRule(entries) {
  /** @type {Map<string, import('./expectations.d.mts').RulePrecision>} */
  const rules = new Map();
  for (const entry of entries) {
    let row = rules.get(entry.rule);
    if (!row) {
      row = { rule: entry.rule, reports: 0, right: 0, wrongVerdict: 0, falseReport: 0, unjudged: 0, clean: 0, missed: 0 };
      rules.set(entry.rule, row);
    }
    if (entry.observed === NO_REPORT) {
      if (entry.verdict.startsWith('missed:')) row.missed += 1;
      else row.clean += 1;
      continue;
    }
    row.reports += 1;
    if (entry.verdict === 'right') row.right += 1;
    else if (entry.verdict === 'false-report') row.falseReport += 1;
    else if (entry.verdict === UNJUDGED) row.unjudged += 1;
    else row.wrongVerdict += 1;
  }
  return [...rules.values()].sort((a, b) => a.rule.localeCompare(b.rule));
}

/** @param {import('./expectations.d.mts').RulePrecision[]} rows */
export function formatPrecision(rows) {
  const percent = (part, whole) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(0)}%`);
  const header = ['rule', 'reports', 'right', 'wrong verdict', 'false', 'unjudged', 'precision', 'real hazard', 'clean sites', 'known misses'];
  const body = rows.map((row) => {
    const judged = row.reports - row.unjudged;
    return [
      row.rule,
      row.reports,
      row.right,
      row.wrongVerdict,
      row.falseReport,
      row.unjudged,
      percent(row.right, judged),
      percent(row.right + row.wrongVerdict, judged),
      row.clean,
      row.missed,
    ].map(String);
  });
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)));
  const render = (/** @type {string[]} */ cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [render(header), render(widths.map((width) => '-'.repeat(width))), ...body.map(render)].join('\n');
}
