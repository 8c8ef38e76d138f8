// Property test of the try-finally-to-using codemod: fast-check builds random programs of
// nested try/finally cleanups (sync and async, catch clauses, loops with their own
// try/finally, early return/break/continue, awaited and unawaited async cleanups, statements
// between acquisition and try, and shapes the codemod must refuse), runs transformSource, and
// executes both versions on both engines under every scenario of the contract.
// While the transform changes nothing, identity trivially keeps the contract and the test
// still checks that both engines agree on every program.
// Long mode: CTX_FUZZ_RUNS=20000 (and CTX_FUZZ_SEED=<n> to replay a seed).

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { transformSource, type TransformResult } from '../../codemods/try-finally-to-using.js';
import { formatFindings, judge } from '../oracle/contract.js';
import { printProgram, programArbitrary, type GeneratedProgram } from '../oracle/generator.js';
import { Oracle } from '../oracle/oracle.js';

const RUNS = Number(process.env['CTX_FUZZ_RUNS'] ?? 200);
const SEED = process.env['CTX_FUZZ_SEED'] === undefined ? undefined : Number(process.env['CTX_FUZZ_SEED']);
/** Bounds the pairs of faults per program (every single fault always runs). */
const MAX_SCENARIOS = 120;

const statistics = { programs: 0, changed: 0, converted: 0, refused: new Map<string, number>(), scenarios: 0, droppedScenarios: 0 };

function counterexample(source: string, result: TransformResult | undefined, problem: string): Error {
  const transformed = result === undefined ? '(transformSource threw)' : result.changed ? result.output : '(unchanged)';
  return new Error(`${problem}\n\n--- program ---\n${source}\n--- transformed ---\n${transformed}\n`);
}

describe('try-finally-to-using on generated programs', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.start({ recycleAfterPrograms: 150 });
  });
  afterAll(() => {
    oracle?.close();
    const refusals = [...statistics.refused].map(([reason, count]) => `${reason} ${count}`).join(', ');
    console.info(
      `[generator] ${statistics.programs} programs, ${statistics.changed} changed, ${statistics.converted} sites converted, ` +
        `refusals: ${refusals || 'none'}; ${statistics.scenarios} scenarios run per engine (${statistics.droppedScenarios} pairs dropped by the cap)`,
    );
  });

  it(
    `keeps the contract on ${RUNS} random programs, on both engines`,
    async () => {
      let id = 0;
      await fc.assert(
        fc.asyncProperty(programArbitrary(), async (program: GeneratedProgram) => {
          id += 1;
          const source = printProgram(program);
          let result: TransformResult;
          try {
            result = transformSource(source, program.fileName);
          } catch (error) {
            throw counterexample(source, undefined, `transformSource threw: ${error instanceof Error ? error.message : String(error)}`);
          }
          if (result.changed !== (result.output !== source)) {
            throw counterexample(source, result, `transformSource says changed=${result.changed} but the output ${result.output === source ? 'equals' : 'differs from'} the input`);
          }
          const versions: Record<string, string> = result.changed ? { input: source, output: result.output } : { input: source };
          const reports = await oracle.run({ id: `generated-${id}`, fileName: program.fileName, versions, freshModulePerRun: false, maxScenarios: MAX_SCENARIOS });
          const findings = judge(reports, result.changed ? { input: 'input', output: 'output' } : undefined);
          if (findings.length > 0) throw counterexample(source, result, formatFindings(findings, 3));

          statistics.programs += 1;
          statistics.scenarios += reports.native.scenarios.length;
          statistics.droppedScenarios += reports.native.droppedScenarios;
          if (result.changed) statistics.changed += 1;
          statistics.converted += result.converted.length;
          for (const refusal of result.refused) statistics.refused.set(refusal.reason, (statistics.refused.get(refusal.reason) ?? 0) + 1);
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: false },
      );
      expect(statistics.programs).toBeGreaterThanOrEqual(RUNS);
    },
    // Generous: a shrink after a failure runs many more programs than RUNS.
    Math.max(120_000, RUNS * 1_000),
  );
});
