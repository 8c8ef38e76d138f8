// The contract of the try-finally-to-using codemod (REFERENCE.md §3,
// docs/codemods/try-finally-to-using.md), as a comparison of measured outcomes:
//  - no close fault injected: the output's outcome is identical to the input's (trace, result,
//    unhandled rejections);
//  - some close fault injected: the output runs at least what the input ran (the input's trace
//    is a subsequence of the output's, so every cleanup the input ran is run, in the same
//    relative order; extra events are cleanups, never a new `open:`/`use:`), it returns what
//    the input returned or throws where the input threw: the same error, or a SuppressedError
//    whose newest error (the outermost `error`) is the one the input threw (or, when the output
//    ran cleanups the input skipped and one of them threw, that carries the input's error
//    among its leaves), and whose leaves are distinct errors that really occurred in its run.

import { isDeepStrictEqual } from 'node:util';

import type { EngineReports } from './oracle.js';
import type { EngineName, NormalizedError, Outcome, ProgramReport, RunResult, ScenarioOutcomes } from './protocol.js';
import { isCloseFault, scenarioKey } from './scenarios.js';

export type FindingKind = 'contract-violation' | 'engine-disagreement' | 'load-error' | 'timeout' | 'stale-events';

export interface Finding {
  kind: FindingKind;
  /** Engines on which it was seen. */
  engines: EngineName[];
  scenario: string;
  message: string;
}

export function formatError(error: NormalizedError): string {
  if (typeof error === 'string') return error;
  if ('thrownNonError' in error) return `non-Error value ${error.thrownNonError}`;
  return `SuppressedError(error: ${formatError(error.error)}, suppressed: ${formatError(error.suppressed)})`;
}

export function formatResult(result: RunResult): string {
  switch (result.kind) {
    case 'returned':
      return `returned ${result.value}`;
    case 'threw':
      return `threw ${formatError(result.error)}`;
    case 'timeout':
      return 'did not settle (timeout)';
    case 'load-error':
      return `did not load: ${result.message}`;
  }
}

export function formatOutcome(outcome: Outcome | undefined): string {
  if (!outcome) return '    (not run)';
  const lines = [`    events: ${outcome.events.length > 0 ? outcome.events.join(', ') : '(none)'}`, `    result: ${formatResult(outcome.result)}`];
  if (outcome.unhandled.length > 0) lines.push(`    unhandled rejections: ${outcome.unhandled.map(formatError).join('; ')}`);
  return lines.join('\n');
}

/** Is `needle` a subsequence of `haystack` (same relative order, gaps allowed)? */
export function isSubsequence(needle: readonly string[], haystack: readonly string[]): boolean {
  let position = 0;
  for (const item of haystack) if (position < needle.length && item === needle[position]) position += 1;
  return position === needle.length;
}

/** The events of `haystack` that are not matched by the greedy subsequence match of `needle`. */
function extraEvents(needle: readonly string[], haystack: readonly string[]): string[] {
  const extras: string[] = [];
  let position = 0;
  for (const item of haystack) {
    if (position < needle.length && item === needle[position]) position += 1;
    else extras.push(item);
  }
  return extras;
}

function leavesOf(error: NormalizedError): NormalizedError[] {
  if (typeof error === 'object' && 'error' in error) return [...leavesOf(error.error), ...leavesOf(error.suppressed)];
  return [error];
}

/**
 * The newest error a (possibly nested) SuppressedError carries. A stack's own disposal wraps
 * its cleanups' errors (`SuppressedError(E3, E2)`), and the `using` that disposes the stack
 * wraps that again with the body's error: `SuppressedError(SuppressedError(E3, E2), E1)`. The
 * newest is found by following `error` down, not by taking the outermost `error`.
 */
function newestOf(error: NormalizedError): NormalizedError {
  return typeof error === 'object' && 'error' in error ? newestOf(error.error) : error;
}

function isMultisetSubset(small: readonly NormalizedError[], large: readonly NormalizedError[]): boolean {
  const remaining = large.map((item) => JSON.stringify(item));
  for (const item of small) {
    const index = remaining.indexOf(JSON.stringify(item));
    if (index === -1) return false;
    remaining.splice(index, 1);
  }
  return true;
}

/**
 * Checks one scenario; returns why the output breaks the contract, or undefined when it keeps
 * it. `faults` are the injected fault labels (an injected fault throws `Error(label)` each time
 * its event is recorded).
 */
export function checkContract(faults: readonly string[], input: Outcome, output: Outcome): string | undefined {
  if (!faults.some(isCloseFault)) {
    if (isDeepStrictEqual(input, output)) return undefined;
    if (!isDeepStrictEqual(input.events, output.events)) return 'no cleanup throws here, so the traces must be identical, and they differ';
    if (!isDeepStrictEqual(input.result, output.result)) return 'no cleanup throws here, so the results must be identical, and they differ';
    return 'no cleanup throws here, so the unhandled rejections must be identical, and they differ';
  }
  if (!isSubsequence(input.events, output.events)) {
    return 'a cleanup throws here: the output must run everything the input ran, in the same order (the input trace must be a subsequence of the output trace)';
  }
  const acquiredMore = extraEvents(input.events, output.events).filter((event) => event.startsWith('open:') || event.startsWith('use:'));
  if (acquiredMore.length > 0) return `a cleanup throws here: the output may only run more cleanups, but it also ran ${acquiredMore.join(', ')}`;
  if (!isMultisetSubset(input.unhandled, output.unhandled)) return 'a cleanup throws here: an unhandled rejection of the input is missing from the output';
  const inputResult = input.result;
  const outputResult = output.result;
  if (inputResult.kind !== 'threw') {
    return isDeepStrictEqual(inputResult, outputResult) ? undefined : 'the input did not throw, so the output must end the same way';
  }
  if (outputResult.kind !== 'threw') return 'the input threw, so the output must throw too';
  if (isDeepStrictEqual(inputResult.error, outputResult.error)) return undefined;
  const thrown = outputResult.error;
  if (typeof thrown !== 'object' || !('error' in thrown)) {
    return 'the output threw a different error than the input, and not a SuppressedError carrying it';
  }
  // The input's error must be the newest one, unless the output ran cleanups the input skipped
  // and one of those threw (then it is newer): it must still be among the errors carried.
  const extraErrors = extraEvents(input.events, output.events).filter((event) => faults.includes(event));
  if (extraErrors.length === 0 && !isDeepStrictEqual(newestOf(thrown), newestOf(inputResult.error))) {
    return "the output's SuppressedError must carry the input's error as its newest error (found by following `error` down)";
  }
  if (!leavesOf(thrown).some((leaf) => isDeepStrictEqual(leaf, inputResult.error))) {
    return "the output's SuppressedError must carry the error the input threw";
  }
  // Every leaf must be an error that really occurred in the output's run: an armed fault
  // event that the output reached (each reach throws once), or the input's own error.
  const occurred: NormalizedError[] = output.events.filter((event) => faults.includes(event));
  const notInjected = leavesOf(inputResult.error).filter((leaf) => typeof leaf !== 'string' || !faults.includes(leaf));
  if (!isMultisetSubset(leavesOf(thrown), [...occurred, ...notInjected])) {
    return "the output's SuppressedError holds an error that did not occur, or one error twice";
  }
  return undefined;
}

function describeScenario(scenario: ScenarioOutcomes): string {
  return scenarioKey(scenario.faults);
}

export interface JudgeOptions {
  /** Check that the engines agree (default true). */
  engineAgreement?: boolean;
  /** Engines on which the contract is checked (default: both). */
  contractEngines?: readonly EngineName[];
}

/**
 * Judges a program run on both engines: the engines must agree on every version and scenario;
 * every version must load and settle; and when `versions` names an input and an output, every
 * scenario must keep the contract (checked on each engine).
 */
export function judge(reports: EngineReports, versions?: { input: string; output: string }, options: JudgeOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const engines = Object.keys(reports) as EngineName[];
  const [first, second] = engines.map((engine) => reports[engine]);
  if (!first || !second) throw new Error('judge needs the reports of two engines');

  for (const engine of engines) {
    const report = reports[engine];
    if (report.staleEvents.length > 0) {
      findings.push({ kind: 'stale-events', engines: [engine], scenario: '-', message: `events arrived after their run had ended (a run leaked into the next): ${report.staleEvents.join(', ')}` });
    }
    const seen = new Set<string>();
    for (const scenario of report.scenarios) {
      for (const [version, outcome] of Object.entries(scenario.outcomes)) {
        const kind = outcome.result.kind;
        if ((kind === 'load-error' || kind === 'timeout') && !seen.has(`${version}:${kind}`)) {
          seen.add(`${version}:${kind}`);
          findings.push({ kind, engines: [engine], scenario: describeScenario(scenario), message: `${version} ${formatResult(outcome.result)}` });
        }
      }
    }
  }

  if (options.engineAgreement !== false) findings.push(...engineDisagreements(first, second));
  if (versions) findings.push(...contractViolations(reports, versions, options.contractEngines ?? engines));
  return findings;
}

function engineDisagreements(first: ProgramReport, second: ProgramReport): Finding[] {
  const findings: Finding[] = [];
  const engines = [first.engine, second.engine];
  const secondByKey = new Map(second.scenarios.map((scenario) => [describeScenario(scenario), scenario]));
  const firstKeys = new Set(first.scenarios.map(describeScenario));
  for (const scenario of first.scenarios) {
    const key = describeScenario(scenario);
    const other = secondByKey.get(key);
    for (const version of Object.keys(scenario.outcomes)) {
      const mine = scenario.outcomes[version];
      const theirs = other?.outcomes[version];
      if (!isDeepStrictEqual(mine, theirs)) {
        findings.push({
          kind: 'engine-disagreement',
          engines,
          scenario: key,
          message: `the engines disagree on the ${version} (an engine or shim bug, or timing the program should not depend on):\n  ${first.engine}:\n${formatOutcome(mine)}\n  ${second.engine}:\n${formatOutcome(theirs)}`,
        });
      }
    }
  }
  const onlySecond = second.scenarios.map(describeScenario).filter((key) => !firstKeys.has(key));
  if (onlySecond.length > 0) {
    findings.push({ kind: 'engine-disagreement', engines, scenario: onlySecond.join('; '), message: `only the ${second.engine} engine reached these scenarios (fault points ${first.engine}: ${first.faultPoints.join(', ')}; ${second.engine}: ${second.faultPoints.join(', ')})` });
  }

  return findings;
}

function contractViolations(reports: EngineReports, versions: { input: string; output: string }, engines: readonly EngineName[]): Finding[] {
  const violations = new Map<string, Finding>();
  for (const engine of engines) {
    for (const scenario of reports[engine].scenarios) {
      const input = scenario.outcomes[versions.input];
      const output = scenario.outcomes[versions.output];
      if (!input || !output) throw new Error(`judge: scenario ${describeScenario(scenario)} lacks the ${versions.input} or ${versions.output} version`);
      const why = checkContract(scenario.faults, input, output);
      if (why === undefined) continue;
      // The same violation on both engines is one finding naming both.
      const key = `${describeScenario(scenario)}\n${why}\n${formatOutcome(input)}\n${formatOutcome(output)}`;
      const known = violations.get(key);
      if (known) known.engines.push(engine);
      else {
        violations.set(key, {
          kind: 'contract-violation',
          engines: [engine],
          scenario: describeScenario(scenario),
          message: `${why}\n  ${versions.input}:\n${formatOutcome(input)}\n  ${versions.output}:\n${formatOutcome(output)}`,
        });
      }
    }
  }
  return [...violations.values()];
}

export function formatFindings(findings: readonly Finding[], limit = 5): string {
  const shown = findings.slice(0, limit).map((finding) => `[${finding.kind}] on ${finding.engines.join(' and ')}, scenario ${finding.scenario}: ${finding.message}`);
  if (findings.length > limit) shown.push(`… and ${findings.length - limit} more finding(s)`);
  return shown.join('\n\n');
}
