// The semantics oracle of `scope-stdout-rebinding`: runs the input and the output of a fixture
// on native Node 24 and on the test Node (TypeScript downlevel + the DisposableStack shim), each
// `main(fail)` once without and once with an exception in the patched work, and checks the
// codemod's contract (docs/codemods/scope-stdout-rebinding.md):
//   - a restore now also runs on a throw: with `fail`, the output may leave fewer targets
//     rebound than the input (a subset of them), never others;
//   - everything else is identical: what main returns or throws, everything written through
//     the targets (in order), and, without `fail`, which targets stay rebound;
//   - both engines observe the same.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { isDeepStrictEqual } from 'node:util';

import { ENGINES, locateShim, nodeBinaryFor, prepareForEngine, REPO_ROOT } from './engines.js';
import type { EngineName } from './protocol.js';

export interface ScopeObservation {
  readonly fail: boolean;
  readonly outcome: { readonly returned?: unknown; readonly threw?: string };
  /** `[target, text]` for every call that reached a target's recorder. */
  readonly written: readonly (readonly [string, string])[];
  /** Targets that main left bound to something else than before it ran. */
  readonly leftPatched: readonly string[];
}

export interface ScopeProgram {
  readonly id: string;
  readonly fileName: string;
  readonly versions: Readonly<Record<string, string>>;
}

/** Observations by engine, program id, version and `fail`. */
export type ScopeRuns = Record<EngineName, Record<string, Record<string, ScopeObservation[]>>>;

/** The contract between an input's and an output's observations of the same `fail`. */
export function checkScopeContract(input: ScopeObservation, output: ScopeObservation): string[] {
  const findings: string[] = [];
  const mode = input.fail ? 'with a throw' : 'without a throw';
  if (!isDeepStrictEqual(input.outcome, output.outcome)) {
    findings.push(`${mode}: main ${JSON.stringify(input.outcome)} in the input, ${JSON.stringify(output.outcome)} in the output`);
  }
  if (!isDeepStrictEqual(input.written, output.written)) {
    findings.push(`${mode}: written ${JSON.stringify(input.written)} in the input, ${JSON.stringify(output.written)} in the output`);
  }
  const extra = output.leftPatched.filter((name) => !input.leftPatched.includes(name));
  if (extra.length > 0) findings.push(`${mode}: the output leaves ${extra.join(', ')} rebound, the input does not`);
  if (!input.fail && !isDeepStrictEqual(input.leftPatched, output.leftPatched)) {
    findings.push(`${mode}: rebound after main: ${input.leftPatched.join(', ') || 'none'} in the input, ${output.leftPatched.join(', ') || 'none'} in the output`);
  }
  return findings;
}

/** Runs every version of every program on both engines (one child process per engine). */
export function runScopePrograms(programs: readonly ScopeProgram[]): ScopeRuns {
  mkdirSync(join(REPO_ROOT, '.cache'), { recursive: true });
  const directory = mkdtempSync(join(REPO_ROOT, '.cache', 'oracle-scope-'));
  try {
    const runs = {} as ScopeRuns;
    for (const engine of ENGINES) {
      const files = new Map<string, { id: string; version: string }>();
      for (const program of programs) {
        for (const [version, source] of Object.entries(program.versions)) {
          const { code, extension } = prepareForEngine(engine, source, program.fileName);
          const file = join(directory, `${engine}-${program.id}-${version}${extension}`);
          writeFileSync(file, code);
          files.set(file, { id: program.id, version });
        }
      }
      const resultFile = join(directory, `${engine}.json`);
      const shim = engine === 'downlevel' ? [locateShim()] : [];
      execFileSync(nodeBinaryFor(engine), ['--no-warnings', join(REPO_ROOT, 'tests', 'oracle', 'scope-stdout-child.mjs'), resultFile, ...shim, '--', ...files.keys()], {
        stdio: ['ignore', 'ignore', 'pipe'],
        timeout: 120_000,
      });
      const observed = JSON.parse(readFileSync(resultFile, 'utf8')) as (ScopeObservation & { program: string })[];
      const byProgram: Record<string, Record<string, ScopeObservation[]>> = {};
      for (const { program, ...observation } of observed) {
        const { id, version } = files.get(program)!;
        ((byProgram[id] ??= {})[version] ??= []).push(observation);
      }
      runs[engine] = byProgram;
    }
    return runs;
  } finally {
    if (process.env['CTX_ORACLE_KEEP'] !== '1') rmSync(directory, { recursive: true, force: true });
  }
}

/** Engine agreement, then the contract between `input` and `output` on each engine. */
export function judgeScopeRuns(runs: ScopeRuns, id: string, versions: { input: string; output: string }): string[] {
  const findings: string[] = [];
  const [first, ...others] = ENGINES;
  for (const engine of others) {
    if (!isDeepStrictEqual(runs[first!][id], runs[engine][id])) {
      findings.push(`${id}: ${first} and ${engine} disagree: ${JSON.stringify(runs[first!][id])} / ${JSON.stringify(runs[engine][id])}`);
    }
  }
  for (const engine of ENGINES) {
    const input = runs[engine][id]?.[versions.input] ?? [];
    const output = runs[engine][id]?.[versions.output] ?? [];
    if (input.length !== 2 || output.length !== 2) {
      findings.push(`${id} on ${engine}: expected two runs of each version, got ${input.length} and ${output.length}`);
      continue;
    }
    input.forEach((observation, index) => findings.push(...checkScopeContract(observation, output[index]!).map((finding) => `${id} on ${engine}, ${finding}`)));
  }
  return findings;
}
