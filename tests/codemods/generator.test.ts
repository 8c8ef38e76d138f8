// Property test of the try-finally-to-using codemod: fast-check builds random programs of
// nested try/finally cleanups (sync and async, catch clauses, loops with their own
// try/finally, callbacks, early return/break/continue and labelled break, awaited and
// unawaited async cleanups, statements between acquisition and try, and shapes the codemod
// must refuse: control flow in finally, reassigned / escaping / later-used resources,
// conditional and out-of-order cleanup, a `case` clause), runs transformSource, and executes
// both versions on both engines under every scenario of the contract
// (tests/oracle/contract.ts); a rewrite must also be idempotent. A failure is shrunk and
// printed as the program, its rewrite, the scenario and both outcomes.
// Long mode: CTX_FUZZ_RUNS=20000 (and CTX_FUZZ_SEED=<n> to replay a seed fast-check printed).
// Microtask mode (investigative, not in `npm test`): CTX_FUZZ_MICROTASKS=1 adds a background
// task tracing every microtask turn, so a changed interleaving (`await using` awaits after
// every cleanup, even a sync one) shows. The contract is then checked on the native engine
// only, and engine agreement is not required: the es-shims AsyncDisposableStack calls its
// first cleanup one microtask later than native (see tests/oracle/README.md).

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { transformSource } from '../../codemods/try-finally-to-using.js';
import type { JudgeOptions } from '../oracle/contract.js';
import { programArbitrary } from '../oracle/generator.js';
import { Oracle } from '../oracle/oracle.js';
import { checkGeneratedProgram, describeStatistics, emptyStatistics } from '../oracle/property.js';

const RUNS = Number(process.env['CTX_FUZZ_RUNS'] ?? 250);
const SEED = process.env['CTX_FUZZ_SEED'] === undefined ? undefined : Number(process.env['CTX_FUZZ_SEED']);
const MICROTASKS = process.env['CTX_FUZZ_MICROTASKS'] === '1';
const JUDGE_OPTIONS: JudgeOptions = MICROTASKS ? { engineAgreement: false, contractEngines: ['native'] } : {};

describe('try-finally-to-using on generated programs', () => {
  const statistics = emptyStatistics();
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.start({ recycleAfterPrograms: 200 });
  });
  afterAll(() => {
    oracle?.close();
    console.info(`[generator] ${describeStatistics(statistics)}`);
  });

  // The contract holds for every site the printer can write, so the property checks them all,
  // the lone side effects the default policy leaves alone included.
  const convertEverySite = (source: string, filePath: string) => transformSource(source, filePath, { allSites: true });

  it(
    `keeps the contract on ${RUNS} random programs, on both engines${MICROTASKS ? ' (microtask mode)' : ''}`,
    async () => {
      await fc.assert(
        fc.asyncProperty(programArbitrary({ microtaskTicker: MICROTASKS }), (program) => checkGeneratedProgram(oracle, convertEverySite, program, statistics, JUDGE_OPTIONS)),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
      expect(statistics.programs).toBe(RUNS);
    },
    // Generous: shrinking after a failure runs many more programs than RUNS.
    Math.max(180_000, RUNS * 1_000),
  );
});
