// Generated cleanup-list programs (tests/oracle/cleanup-list-generator.ts), each transformed by
// split-nested-stacks and, when it changed, run in both versions on native Node 24 and on the
// test Node under every fault scenario of the oracle. Per program:
//  - the codemod converts it or refuses it with the reason the generator expects (a program
//    the codemod should convert is never refused, a refusal shape never converted);
//  - the output keeps literal and comment text, is idempotent, loads and settles;
//  - the engines agree, and the output keeps the cleanup-list contract against the input
//    (tests/oracle/split-contract.ts): identical logs when no cleanup throws (but for the
//    nested-scope fix's moved outer cleanups), try-finally-to-using's contract when one does.
// More programs: CTX_LIST_FUZZ_RUNS=2000; one seed: CTX_LIST_FUZZ_SEED=<seed>.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { refusalReasons, transformSource } from '../../codemods/split-nested-stacks.js';
import { generateCleanupListProgram } from '../oracle/cleanup-list-generator.js';
import { formatFindings, judge } from '../oracle/contract.js';
import { Oracle } from '../oracle/oracle.js';
import { cleanupListContractViolations } from '../oracle/split-contract.js';
import { tokenValues } from '../oracle/token-values.js';

const RUNS = Number(process.env['CTX_LIST_FUZZ_RUNS'] ?? 60);
const FIRST_SEED = Number(process.env['CTX_LIST_FUZZ_SEED'] ?? 1);
const seeds = process.env['CTX_LIST_FUZZ_SEED'] === undefined ? Array.from({ length: RUNS }, (_, index) => FIRST_SEED + index * 7919) : [FIRST_SEED];

describe('the cleanup-list generator', () => {
  it('is deterministic and varied: same seed, same program; seeds cover sync and async, every expectation', () => {
    expect(generateCleanupListProgram(42).source).toBe(generateCleanupListProgram(42).source);
    const programs = Array.from({ length: 300 }, (_, index) => generateCleanupListProgram(index + 1));
    const expectations = new Set(programs.map((program) => program.expected));
    expect([...expectations].sort()).toEqual(['ambiguous-scope', 'catches-per-cleanup', 'converted', 'escapes', 'registration-order', 'unrecognised-run']);
    expect(programs.some((program) => program.source.includes('async function'))).toBe(true);
    expect(programs.some((program) => /const mark\d+ = /.test(program.source))).toBe(true);
    expect(programs.some((program) => program.source.includes("open('outer-"))).toBe(true);
    expect(programs.some((program) => program.source.includes('.map((name) =>'))).toBe(true);
  });
});

describe('split-nested-stacks on generated cleanup-list programs', () => {
  let oracle: Oracle;
  const tally = { converted: 0, refused: new Map<string, number>() };
  beforeAll(async () => {
    oracle = await Oracle.start({ recycleAfterPrograms: 200 });
  });
  afterAll(() => {
    oracle?.close();
    console.info(`[cleanup-list generator] ${seeds.length} programs: ${tally.converted} converted; refused ${[...tally.refused].map(([reason, count]) => `${reason} ${count}`).join(', ') || 'none'}`);
  });

  it.each(seeds)('seed %i: converts or refuses as expected, and keeps the contract on both engines', async (seed) => {
    const program = generateCleanupListProgram(seed);
    const result = transformSource(program.source, program.fileName);
    const context = `${program.fileName} (expected ${program.expected})\n--- program ---\n${program.source}\n--- output ---\n${result.output}`;
    expect(result.converted.length + result.refused.length, context).toBe(1);
    for (const refusal of result.refused) expect(Object.keys(refusalReasons), context).toContain(refusal.reason);
    expect(result.refused[0]?.reason ?? 'converted', context).toBe(program.expected);
    if (result.refused[0]) tally.refused.set(result.refused[0].reason, (tally.refused.get(result.refused[0].reason) ?? 0) + 1);
    else tally.converted++;
    if (result.changed) {
      expect(tokenValues(result.output, program.fileName), context).toEqual(tokenValues(program.source, program.fileName));
      expect(transformSource(result.output, program.fileName).output, context).toBe(result.output);
    }
    const versions: Record<string, string> = result.changed ? { input: program.source, output: result.output } : { input: program.source };
    const reports = await oracle.run({ id: `cleanup-list-${seed}`, fileName: program.fileName, versions, freshModulePerRun: false, onlyRuntimePromises: !program.ownPromises, maxScenarios: 60 });
    const findings = [...judge(reports), ...(result.changed ? cleanupListContractViolations(reports, program.shared) : [])];
    expect(findings, `${context}\n${formatFindings(findings, 2)}`).toEqual([]);
  });
});
