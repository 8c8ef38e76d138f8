// Every executable fixture pair of the try-finally-to-using codemod, run on both engines
// (native Node 24, and the test Node through TypeScript's downlevel + the DisposableStack
// shim) under every scenario of the contract: no fault, each single fault, step-or-open fault
// with a close fault, two close faults. The output must keep the contract against the input,
// and the engines must agree. A no-change fixture (no output file) is run alone: it must load,
// settle and behave the same on both engines. Fixtures are discovered when the tests run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatFindings, judge } from '../oracle/contract.js';
import { discoverFixtures, TRY_FINALLY_FIXTURES } from '../oracle/fixtures.js';
import { Oracle } from '../oracle/oracle.js';

const discovery = discoverFixtures();

describe('try-finally-to-using fixtures, executed', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.start();
    console.info(`[oracle] ${oracle.engineDescriptions().join('; ')}`);
  });
  afterAll(() => oracle?.close());

  it(`finds a well-formed fixture folder (${TRY_FINALLY_FIXTURES})`, () => {
    expect(discovery.problems).toEqual([]);
    // Every fixture case is accounted for: executable, or listed as not executable.
    for (const fixture of discovery.executable) expect(fixture.input).toMatch(/export\s+(async\s+)?function\s+main/);
  });

  for (const fixture of discovery.executable) {
    const title = fixture.output === undefined ? `${fixture.name} (no change): runs the same on both engines` : `${fixture.name}: the output keeps the contract on both engines`;
    it(title, async () => {
      const versions: Record<string, string> = fixture.output === undefined ? { input: fixture.input } : { input: fixture.input, output: fixture.output };
      const reports = await oracle.run({ id: fixture.name, fileName: fixture.fileName, versions });
      const findings = judge(reports, fixture.output === undefined ? undefined : { input: 'input', output: 'output' });
      expect(reports.native.scenarios.length).toBeGreaterThan(0);
      expect(findings, `${fixture.fileName}\n${formatFindings(findings)}`).toEqual([]);
    });
  }
});
