// The contract of the split-nested-stacks codemod (docs/codemods/split-nested-stacks.md). It fixes
// a bug, so the output may differ from the input in one named way only:
//
//   a stack's outer registrations now live to the outer scope's end.
//
// Fixtures mark the outer registrations: a resource opened as `outer…` (events `close:outer…`,
// `closed:outer…`) or a deferred `trace('outer…')`. Those are the "moved" events. Per scenario,
// on each engine:
//  - the input either runs to its end, or breaks on the bug (a registration on, or a `using`
//    of, the stack the inner scope already disposed throws a ReferenceError);
//  - every other event is identical: the same sequence when the input ran to its end, and the
//    input's sequence is a prefix of the output's when the input broke on the bug;
//  - the moved events the input ran are run by the output too, in the same relative order (the
//    same sequence when the input ran to its end): each outer registration is disposed once;
//  - when the input ran to its end, the result and unhandled rejections are identical; when it
//    broke, the output never throws that ReferenceError.
// A scenario that injects a fault into a moved event is judged for engine agreement only: that
// cleanup now runs (and throws) at the outer scope's end, which is the named difference itself.
// The two engines word the disposed-stack ReferenceError differently (native: "Cannot call
// DisposableStack.prototype.defer on an already-disposed DisposableStack", es-shims: "a disposed
// stack can not defer anything new"): both normalise to one text before any comparison.

import { isDeepStrictEqual } from 'node:util';

import type { Finding } from './contract.js';
import type { EngineReports } from './oracle.js';
import type { EngineName, NormalizedError, Outcome, ProgramReport } from './protocol.js';
import { checkContract, isSubsequence } from './contract.js';
import { isCloseFault } from './scenarios.js';

export const DISPOSED_STACK_ERROR = 'ReferenceError: (a disposed stack was used)';

export function isMovedEvent(event: string): boolean {
  return /^(?:close|closed|trace):outer/.test(event);
}

function normalizeError(error: NormalizedError): NormalizedError {
  if (typeof error === 'string') return /^ReferenceError: .*dispos/i.test(error) ? DISPOSED_STACK_ERROR : error;
  if ('error' in error) return { error: normalizeError(error.error), suppressed: normalizeError(error.suppressed) };
  return error;
}

function normalizeOutcome(outcome: Outcome): Outcome {
  const result = outcome.result.kind === 'threw' ? { kind: 'threw' as const, error: normalizeError(outcome.result.error) } : outcome.result;
  return { ...outcome, result, unhandled: outcome.unhandled.map(normalizeError) };
}

/** The reports with the engines' two wordings of the disposed-stack error made one. */
export function normalizeDisposedStackErrors(reports: EngineReports): EngineReports {
  const normalize = (report: ProgramReport): ProgramReport => ({
    ...report,
    scenarios: report.scenarios.map((scenario) => ({
      ...scenario,
      outcomes: Object.fromEntries(Object.entries(scenario.outcomes).map(([version, outcome]) => [version, normalizeOutcome(outcome)])),
    })),
  });
  return { native: normalize(reports.native), downlevel: normalize(reports.downlevel) };
}

function mentionsDisposedStack(error: NormalizedError): boolean {
  if (typeof error === 'string') return error === DISPOSED_STACK_ERROR;
  if ('error' in error) return mentionsDisposedStack(error.error) || mentionsDisposedStack(error.suppressed);
  return false;
}

const brokeOnTheBug = (outcome: Outcome): boolean => outcome.result.kind === 'threw' && mentionsDisposedStack(outcome.result.error);

/** What one scenario's output did that the contract does not allow, or undefined. */
export function splitContractViolation(input: Outcome, output: Outcome): string | undefined {
  const kept = (events: readonly string[]): string[] => events.filter((event) => !isMovedEvent(event));
  const moved = (events: readonly string[]): string[] => events.filter(isMovedEvent);
  const broke = brokeOnTheBug(input);
  const inputKept = kept(input.events);
  const outputKept = kept(output.events);
  if (broke ? !isDeepStrictEqual(inputKept, outputKept.slice(0, inputKept.length)) : !isDeepStrictEqual(inputKept, outputKept)) {
    return `other events differ: input ${inputKept.join(', ')} / output ${outputKept.join(', ')}`;
  }
  if (broke ? !isSubsequence(moved(input.events), moved(output.events)) : !isDeepStrictEqual(moved(input.events), moved(output.events))) {
    return `outer registrations not all run once in order: input ${moved(input.events).join(', ')} / output ${moved(output.events).join(', ')}`;
  }
  if (broke) return brokeOnTheBug(output) ? 'the output still uses a disposed stack' : undefined;
  if (!isDeepStrictEqual(input.result, output.result)) return `result differs: input ${JSON.stringify(input.result)} / output ${JSON.stringify(output.result)}`;
  if (!isDeepStrictEqual(input.unhandled, output.unhandled)) return 'unhandled rejections differ';
  return undefined;
}

/** Contract findings over both engines' (normalised) reports. */
export function splitContractViolations(reports: EngineReports): Finding[] {
  return violationsPerScenario(reports, (_faults, input, output) => splitContractViolation(input, output));
}

/**
 * Runs `check` on the input and output outcome of every scenario of both engines (scenarios
 * that fault a moved cleanup are the named difference itself: engine agreement only).
 */
function violationsPerScenario(
  reports: EngineReports,
  check: (faults: readonly string[], input: Outcome, output: Outcome) => string | undefined,
): Finding[] {
  const findings: Finding[] = [];
  for (const engine of Object.keys(reports) as EngineName[]) {
    for (const scenario of reports[engine].scenarios) {
      if (scenario.faults.some(isMovedEvent)) continue;
      const input = scenario.outcomes['input'];
      const output = scenario.outcomes['output'];
      if (!input || !output) continue;
      const violation = check(scenario.faults, input, output);
      if (violation) findings.push({ kind: 'contract-violation', engines: [engine], scenario: scenario.faults.join(' + ') || 'no fault', message: violation });
    }
  }
  return findings;
}

/**
 * The contract of the cleanup-list rewrite (a hand-rolled list run in a `finally` becomes one
 * DisposableStack per scope), per scenario:
 *  - no cleanup throws: identical, but for the named difference of a list shared by nested
 *    scopes whose inner run emptied it (the outer registrations now run at the outer scope's
 *    end): exactly `splitContractViolation`;
 *  - a cleanup throws: the list's run stopped at the first throw, the stack runs every other
 *    cleanup and throws a SuppressedError: try-finally-to-using's contract (`checkContract`:
 *    the input's events a subsequence of the output's, only cleanups added, the input's error
 *    carried as the newest), on the events other than the moved ones;
 *  - a cleanup throws and the list is `shared` by nested scopes: the cleanups an inner run
 *    left in the list when one threw were run by the next run out, at the outer scope's end
 *    (after the outer catch, where their errors escaped it); the inner stack runs them at once,
 *    at the inner scope's end, where an enclosing catch sees their errors. So what happens
 *    after the first cleanup throws may differ; checked: the same acquisitions and steps up to
 *    that throw, and the output closes every resource it opened exactly once.
 * A fault in a moved cleanup is the named difference itself: engine agreement only.
 */
export function cleanupListContractViolation(faults: readonly string[], input: Outcome, output: Outcome, shared = false): string | undefined {
  if (!faults.some(isCloseFault)) return splitContractViolation(input, output);
  if (shared) return sharedListViolation(faults, input, output);
  const kept = (outcome: Outcome): Outcome => ({ ...outcome, events: outcome.events.filter((event) => !isMovedEvent(event)) });
  return checkContract(faults, kept(input), kept(output));
}

function sharedListViolation(faults: readonly string[], input: Outcome, output: Outcome): string | undefined {
  const work = (events: readonly string[]): string[] => events.filter((event) => /^(?:open|step|use):/.test(event));
  const firstThrow = input.events.findIndex((event) => faults.includes(event) && isCloseFault(event));
  const before = work(input.events.slice(0, firstThrow === -1 ? undefined : firstThrow));
  if (!isDeepStrictEqual(before, work(output.events).slice(0, before.length))) {
    return `acquisitions and steps differ before the first cleanup threw: input ${before.join(', ')} / output ${work(output.events).join(', ')}`;
  }
  const count = (prefix: string, name: string): number => output.events.filter((event) => event === `${prefix}:${name}`).length;
  for (const event of output.events) {
    // An injected fault at `open:` throws before the resource exists: nothing to close.
    if (!event.startsWith('open:') || faults.includes(event)) continue;
    const name = event.slice('open:'.length);
    if (count('close', name) !== count('open', name)) return `the output opened ${name} ${count('open', name)} time(s) and closed it ${count('close', name)} time(s)`;
  }
  return undefined;
}

export function cleanupListContractViolations(reports: EngineReports, shared = false): Finding[] {
  return violationsPerScenario(reports, (faults, input, output) => cleanupListContractViolation(faults, input, output, shared));
}
