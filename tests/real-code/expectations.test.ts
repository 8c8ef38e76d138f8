import { describe, expect, it } from 'vitest';

import {
  compare,
  formatExpectations,
  formatPrecision,
  parseExpectations,
  precisionByRule,
  type Entry,
  type Report,
} from '../../real-code/lib/expectations.mjs';

const SITE = 'pino@10.4.0/test/basic.test.js:12';
const OTHER = '@scope/pkg@1.0.0/src/a.ts:3';
const RULE = 'no-global-stdout-rebinding';

const report = (site: string, messageId: string, rule = RULE): Report => ({ site, rule, messageId });
const parsed = (text: string): Entry[] => {
  const { entries, errors } = parseExpectations(text);
  expect(errors).toEqual([]);
  return entries;
};

describe('parseExpectations', () => {
  it('reads sites with scoped packages, verdicts and reasons, and skips comments', () => {
    const entries = parsed(
      [
        '# header',
        `${SITE} ${RULE} neverRestored right`,
        `${OTHER} ${RULE} activeAcrossAsync wrong-verdict:restoredOutsideFinally | serial test | not concurrent`,
        '',
      ].join('\n'),
    );
    expect(entries).toEqual([
      { site: SITE, rule: RULE, observed: 'neverRestored', verdict: 'right', reason: '' },
      {
        site: OTHER,
        rule: RULE,
        observed: 'activeAcrossAsync',
        verdict: 'wrong-verdict:restoredOutsideFinally',
        reason: 'serial test | not concurrent',
      },
    ]);
  });

  it('rejects bad sites, unknown verdicts, unexplained judgements and a site both reported and clean', () => {
    const { errors } = parseExpectations(
      [
        `pino/test/a.js:1 ${RULE} neverRestored right`,
        `${SITE} ${RULE} neverRestored maybe | ?`,
        `${SITE} ${RULE} neverRestored false-report`,
        `${SITE} ${RULE} neverRestored missed:neverRestored | x`,
        `${OTHER} ${RULE} neverRestored right`,
        `${OTHER} ${RULE} no-report right`,
      ].join('\n'),
    );
    expect(errors).toHaveLength(5);
    expect(errors[0]).toMatch(/line 1: bad site/);
    expect(errors[1]).toMatch(/bad verdict "maybe"/);
    expect(errors[2]).toMatch(/needs a reason/);
    expect(errors[3]).toMatch(/"missed:" only goes with no-report/);
    expect(errors[4]).toMatch(/both a report and a no-report line/);
  });
});

describe('compare', () => {
  const judged = parsed(
    [
      `${SITE} ${RULE} neverRestored right | restorer never called`,
      `${OTHER} ${RULE} activeAcrossAsync false-report | restored in t.teardown`,
    ].join('\n'),
  );

  it('finds nothing when the run reports exactly the judged sites', () => {
    const { differences, updated } = compare(judged, [report(OTHER, 'activeAcrossAsync'), report(SITE, 'neverRestored')]);
    expect(differences).toEqual([]);
    // Sorted by package, path and line: the scoped package first.
    expect(updated).toEqual([judged[1], judged[0]]);
  });

  it('reports a new report, a missing report and a changed verdict', () => {
    const { differences } = compare(judged, [
      report(SITE, 'restoredOutsideFinally'),
      report('tape@5.10.2/lib/test.js:287', 'preferUsing', 'prefer-using'),
    ]);
    expect(differences.map((difference) => difference.kind).sort()).toEqual(['changed', 'missing', 'new']);
  });

  it('keeps judgements on update: a fixed false report becomes an expected-clean site, a new message a wrong verdict', () => {
    const { updated } = compare(judged, [report(SITE, 'restoredOutsideFinally')]);
    expect(updated).toEqual([
      {
        site: OTHER,
        rule: RULE,
        observed: 'no-report',
        verdict: 'right',
        reason: 'restored in t.teardown (was activeAcrossAsync false-report)',
      },
      {
        site: SITE,
        rule: RULE,
        observed: 'restoredOutsideFinally',
        verdict: 'wrong-verdict:neverRestored',
        reason: 'restorer never called (was neverRestored right)',
      },
    ]);
  });

  it('fails a report at an expected-clean site and judges it from the site', () => {
    const clean = parsed(`${OTHER} ${RULE} no-report right | restored in t.teardown`);
    const { differences, updated } = compare(clean, [report(OTHER, 'neverRestored')]);
    expect(differences).toHaveLength(1);
    expect(differences[0]?.kind).toBe('new');
    expect(updated[0]?.verdict).toBe('false-report');
  });

  it('marks reports at unknown sites unjudged, and counts two reports on one line separately', () => {
    const { differences, updated } = compare([], [report(SITE, 'neverRestored'), report(SITE, 'neverRestored')]);
    expect(differences).toHaveLength(2);
    expect(updated.map((entry) => entry.verdict)).toEqual(['unjudged', 'unjudged']);
  });

  it('round-trips through the file format', () => {
    const text = formatExpectations(judged, '# header');
    expect(text.startsWith('# header\n')).toBe(true);
    expect(parsed(text)).toEqual(judged);
  });
});

describe('precisionByRule', () => {
  it('counts right, wrong verdicts, false reports, unjudged, clean sites and misses per rule', () => {
    const rows = precisionByRule(
      parsed(
        [
          `${SITE} ${RULE} neverRestored right`,
          `${OTHER} ${RULE} activeAcrossAsync wrong-verdict:restoredOutsideFinally | serial`,
          `pino@10.4.0/a.js:1 ${RULE} moduleScope false-report | fixture`,
          `pino@10.4.0/a.js:2 ${RULE} moduleScope unjudged`,
          `pino@10.4.0/a.js:3 ${RULE} no-report right | teardown`,
          `pino@10.4.0/a.js:4 ${RULE} no-report missed:neverRestored | via alias`,
        ].join('\n'),
      ),
    );
    expect(rows).toEqual([
      { rule: RULE, reports: 4, right: 1, wrongVerdict: 1, falseReport: 1, unjudged: 1, clean: 1, missed: 1 },
    ]);
    const table = formatPrecision(rows);
    // precision 1/3 judged reports, real hazard 2/3
    expect(table).toMatch(/\| 33%\s+\| 67%\s+\|/);
  });
});
