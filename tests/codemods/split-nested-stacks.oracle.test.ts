// Every executable fixture pair of split-nested-stacks, run on both engines (native Node 24, and
// the test Node through TypeScript's downlevel + the DisposableStack shim) under every fault
// scenario. The engines must agree; the output keeps tests/oracle/split-contract.ts against the
// input. A no-change fixture must load, settle and behave the same on both engines.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatFindings, judge } from '../oracle/contract.js';
import { REPO_ROOT } from '../oracle/engines.js';
import { discoverFixtures } from '../oracle/fixtures.js';
import { Oracle } from '../oracle/oracle.js';
import type { Outcome } from '../oracle/protocol.js';
import {
  cleanupListContractViolation,
  cleanupListContractViolations,
  DISPOSED_STACK_ERROR,
  normalizeDisposedStackErrors,
  splitContractViolation,
  splitContractViolations,
} from '../oracle/split-contract.js';

const directory = `${REPO_ROOT}/tests/codemods/__testfixtures__/split-nested-stacks`;
const discovery = discoverFixtures(directory);

describe('the split-nested-stacks contract can fail', () => {
  const run = (events: string[], result: Outcome['result']): Outcome => ({ events, result, unhandled: [] });
  const done = { kind: 'returned', value: 'done' } as const;
  const broke = { kind: 'threw', error: DISPOSED_STACK_ERROR } as const;

  it('allows outer registrations to run later, and the bug to go', () => {
    expect(splitContractViolation(run(['open:outer-a', 'close:outer-a', 'open:b'], broke), run(['open:outer-a', 'open:b', 'step:x', 'close:outer-a'], done))).toBeUndefined();
  });

  it('rejects any other difference', () => {
    expect(splitContractViolation(run(['open:a', 'close:a'], done), run(['open:a'], done))).toMatch(/other events/);
    expect(splitContractViolation(run(['open:outer-a', 'close:outer-a'], done), run(['open:outer-a'], done))).toMatch(/outer registrations/);
    expect(splitContractViolation(run(['open:a'], done), run(['open:a'], { kind: 'returned', value: 'other' }))).toMatch(/result/);
    expect(splitContractViolation(run(['open:a'], broke), run(['open:a'], broke))).toMatch(/disposed stack/);
    expect(splitContractViolation(run(['open:a', 'step:x'], broke), run(['open:a', 'step:y'], done))).toMatch(/other events/);
  });
});

describe('the cleanup-list contract can fail', () => {
  const run = (events: string[], result: Outcome['result']): Outcome => ({ events, result, unhandled: [] });
  const done = { kind: 'returned', value: 'done' } as const;

  it('allows a stack to run the cleanups a throwing one skipped, and to throw a SuppressedError', () => {
    const input = run(['open:a', 'open:b', 'step:work', 'close:b'], { kind: 'threw', error: 'close:b' });
    const output = run(['open:a', 'open:b', 'step:work', 'close:b', 'close:a'], { kind: 'threw', error: 'close:b' });
    expect(cleanupListContractViolation(['close:b'], input, output)).toBeUndefined();
    const withBody = run(['open:a', 'step:work', 'close:a'], { kind: 'threw', error: { error: 'close:a', suppressed: 'step:work' } });
    expect(cleanupListContractViolation(['step:work', 'close:a'], run(['open:a', 'step:work', 'close:a'], { kind: 'threw', error: 'close:a' }), withBody)).toBeUndefined();
  });

  it('rejects a changed order, a missing cleanup, or any difference when no cleanup throws', () => {
    expect(cleanupListContractViolation([], run(['close:b', 'close:a'], done), run(['close:a', 'close:b'], done))).toMatch(/other events/);
    expect(cleanupListContractViolation([], run(['close:a'], done), run([], done))).toMatch(/other events/);
    expect(cleanupListContractViolation(['close:b'], run(['close:b', 'close:a'], { kind: 'threw', error: 'close:b' }), run(['close:b'], { kind: 'threw', error: 'close:b' }))).toMatch(/subsequence/);
    expect(cleanupListContractViolation(['step:x'], run(['step:x', 'close:a'], { kind: 'threw', error: 'step:x' }), run(['step:x', 'close:a'], done))).toMatch(/result|identical/);
  });
});

describe('split-nested-stacks fixtures, executed', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.start();
  });
  afterAll(() => oracle?.close());

  it('finds executable fixtures, rewrites among them', () => {
    expect(discovery.problems).toEqual([]);
    expect(discovery.executable.filter((fixture) => fixture.output !== undefined).length).toBeGreaterThanOrEqual(8);
  });

  for (const fixture of discovery.executable) {
    const title = fixture.output === undefined ? `${fixture.name} (no change): runs the same on both engines` : `${fixture.name}: the output keeps the contract on both engines`;
    it(title, async () => {
      const versions: Record<string, string> = fixture.output === undefined ? { input: fixture.input } : { input: fixture.input, output: fixture.output };
      const reports = normalizeDisposedStackErrors(await oracle.run({ id: `split-${fixture.name}`, fileName: fixture.fileName, versions }));
      // `list-` fixtures are cleanup lists: their contract also lets a stack run every cleanup when one throws.
      const contract = fixture.name.startsWith('list-') ? (all: typeof reports) => cleanupListContractViolations(all, fixture.name.startsWith('list-nested')) : splitContractViolations;
      const findings = [...judge(reports), ...(fixture.output === undefined ? [] : contract(reports))];
      expect(reports.native.scenarios.length).toBeGreaterThan(0);
      expect(findings, `${fixture.fileName}\n${formatFindings(findings)}`).toEqual([]);
    });
  }
});
