// Which faults to inject: the fault points a program reaches, and the scenarios of the
// contract built from them. Pure functions, shared by the engine child and the tests.

import { FAULT_PREFIXES } from './runtime.js';

export function isFaultPoint(event: string): boolean {
  return FAULT_PREFIXES.some((prefix) => event.startsWith(prefix));
}

export function isCloseFault(fault: string): boolean {
  return fault.startsWith('close:');
}

/** The distinct fault points of a trace, in order of first appearance. */
export function faultPointsOf(events: readonly string[]): string[] {
  return [...new Set(events.filter(isFaultPoint))];
}

/** A stable key for a scenario (the faults are kept in their given order). */
export function scenarioKey(faults: readonly string[]): string {
  return faults.length === 0 ? '(no fault)' : faults.join(' + ');
}

/**
 * The scenarios of the contract for a set of fault points (REFERENCE.md §3): the fault-free
 * run, each single fault, each pair of a step-or-open fault with a close fault, and each pair
 * of close faults. Singles first, so that dropping the tail for a size limit drops pairs.
 */
export function enumerateScenarios(points: readonly string[]): string[][] {
  const closes = points.filter(isCloseFault);
  const others = points.filter((point) => !isCloseFault(point));
  const scenarios: string[][] = [[]];
  for (const point of points) scenarios.push([point]);
  for (const other of others) for (const close of closes) scenarios.push([other, close]);
  for (let i = 0; i < closes.length; i += 1) {
    for (let j = i + 1; j < closes.length; j += 1) scenarios.push([closes[i]!, closes[j]!]);
  }
  return scenarios;
}

/**
 * Keeps at most `max` scenarios: every fault-free and single-fault scenario, then pairs taken
 * at an even stride so that a cap still spreads over the whole program.
 */
export function capScenarios(scenarios: readonly string[][], max: number): { kept: string[][]; dropped: number } {
  if (scenarios.length <= max) return { kept: [...scenarios], dropped: 0 };
  const singles = scenarios.filter((faults) => faults.length <= 1);
  const pairs = scenarios.filter((faults) => faults.length > 1);
  const room = Math.max(0, max - singles.length);
  const kept = [...singles];
  for (let i = 0; i < room; i += 1) kept.push(pairs[Math.floor((i * pairs.length) / room)]!);
  return { kept, dropped: scenarios.length - kept.length };
}
