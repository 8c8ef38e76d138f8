// The generator's property, shared by the codemod's property test and the oracle's self-test
// (which feeds it a deliberately broken transform to prove that it fails, and shrinks well).

import type { TransformResult } from '../../codemods/try-finally-to-using.js';
import { tokenValues } from './token-values.js';
import { formatFindings, judge, type JudgeOptions } from './contract.js';
import { printProgram, type GeneratedProgram } from './generator.js';
import type { Oracle } from './oracle.js';

export type SourceTransform = (source: string, filePath: string) => TransformResult;

/** Bounds the pairs of faults per generated program (every single fault always runs). */
export const GENERATED_MAX_SCENARIOS = 120;

export interface GeneratorStatistics {
  programs: number;
  changed: number;
  converted: number;
  refused: Map<string, number>;
  scenarios: number;
  droppedScenarios: number;
}

export function emptyStatistics(): GeneratorStatistics {
  return { programs: 0, changed: 0, converted: 0, refused: new Map(), scenarios: 0, droppedScenarios: 0 };
}

export function describeStatistics(statistics: GeneratorStatistics): string {
  const refusals = [...statistics.refused].map(([reason, count]) => `${reason} ${count}`).join(', ');
  return (
    `${statistics.programs} programs, ${statistics.changed} changed, ${statistics.converted} sites converted, ` +
    `refusals: ${refusals || 'none'}; ${statistics.scenarios} scenarios run per engine (${statistics.droppedScenarios} pairs dropped by the cap)`
  );
}

/** The message fast-check shows for a (shrunk) counterexample: program, rewrite, scenario, outcomes. */
function counterexample(source: string, result: TransformResult | undefined, problem: string): Error {
  const transformed = result === undefined ? '(transformSource threw)' : result.changed ? result.output : '(unchanged)';
  return new Error(`${problem}\n\n--- program ---\n${source}\n--- transformed ---\n${transformed}\n`);
}

let programCounter = 0;

/**
 * Prints the program, transforms it, runs both versions on both engines and throws a readable
 * counterexample when anything is wrong; otherwise adds to `statistics`.
 */
export async function checkGeneratedProgram(
  oracle: Oracle,
  transform: SourceTransform,
  program: GeneratedProgram,
  statistics: GeneratorStatistics,
  judgeOptions: JudgeOptions = {},
): Promise<void> {
  programCounter += 1;
  const source = printProgram(program);
  let result: TransformResult;
  try {
    result = transform(source, program.fileName);
  } catch (error) {
    throw counterexample(source, undefined, `transformSource threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (result.changed !== (result.output !== source)) {
    throw counterexample(source, result, `transformSource says changed=${result.changed} but its output ${result.output === source ? 'equals' : 'differs from'} the input`);
  }
  if (result.changed) {
    // No string, template, regexp or comment text may change, wherever its code moved.
    const before = tokenValues(source, program.fileName);
    const after = tokenValues(result.output, program.fileName);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      throw counterexample(source, result, `literal or comment text changed:\n  before ${JSON.stringify(before)}\n  after  ${JSON.stringify(after)}`);
    }
    // Idempotency: the rewrite, transformed again, must not change (the CLI may run twice).
    let again: TransformResult;
    try {
      again = transform(result.output, program.fileName);
    } catch (error) {
      throw counterexample(source, result, `transformSource threw on its own output: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (again.changed) throw counterexample(source, result, `not idempotent: transforming the output again changes it to\n${again.output}`);
  }
  // Identity keeps the contract by definition: run the input alone (the engines must still agree).
  const versions: Record<string, string> = result.changed ? { input: source, output: result.output } : { input: source };
  const reports = await oracle.run({ id: `generated-${programCounter}`, fileName: program.fileName, versions, freshModulePerRun: false, onlyRuntimePromises: true, maxScenarios: GENERATED_MAX_SCENARIOS });
  const findings = judge(reports, result.changed ? { input: 'input', output: 'output' } : undefined, judgeOptions);
  if (findings.length > 0) throw counterexample(source, result, formatFindings(findings, 2));

  statistics.programs += 1;
  statistics.scenarios += reports.native.scenarios.length;
  statistics.droppedScenarios += reports.native.droppedScenarios;
  if (result.changed) statistics.changed += 1;
  statistics.converted += result.converted.length;
  for (const refusal of result.refused) statistics.refused.set(refusal.reason, (statistics.refused.get(refusal.reason) ?? 0) + 1);
}
