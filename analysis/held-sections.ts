import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { CallGraph, CodeOwner } from './call-graph.js';
import { callArguments, EMPTY_BINDINGS, getCallGraph, unwrapExpression } from './call-graph.js';
import type { Acquisition } from './held-acquisitions.js';
import { AcquisitionRecognizer } from './held-acquisitions.js';
import { waitedBy } from './held-waiting.js';
import type { FunctionNode, InstanceRef } from './instance-identity.js';
import { memberName, substituteRoot } from './instance-identity.js';
import { InstanceKinds } from './instance-kinds.js';
import type { KindRegistry } from './resource-kinds.js';
import type { TypeServices } from './type-services.js';

/**
 * Held sections of one file: for which stretch of code each stack or lock is held, which holds
 * wait for a given point, and which in-file functions run a callback while holding an instance
 * (wrappers, whose calls are acquisitions too). Built once per file and set of user kinds, on the
 * shared call graph (`call-graph.ts`), instance kinds (`instance-kinds.ts`) and the acquisitions
 * written in the file (`held-acquisitions.ts`); whether a promise is waited for is
 * `held-waiting.ts`, the text pre-check `held-prefilter.ts`.
 */

export { callArguments, EMPTY_BINDINGS, unwrapExpression } from './call-graph.js';
export type { Bindings } from './call-graph.js';
export type { Acquisition, AcquisitionForm } from './held-acquisitions.js';
export { isPathExpression } from './held-acquisitions.js';
export { mayContainAcquisition } from './held-prefilter.js';
export type { Waited } from './held-waiting.js';

/** "F runs its parameter `callbackIndex` while holding `instance`" (instance in F's context). */
interface WrapperSummary {
  readonly instance: InstanceRef;
  readonly callbackIndex: number;
  readonly effect: 'lock' | 'dispose';
  readonly via: readonly string[];
  readonly capacity: number;
  readonly shared: boolean;
  readonly waitsForLock: boolean;
}

/** One file's held sections. Pieces are computed lazily, each at most once. */
export class FileAnalysis {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly registry: KindRegistry;
  readonly graph: CallGraph;
  readonly kinds: InstanceKinds;

  #acquisitions: Acquisition[] | undefined;
  #wrappers: Map<FunctionNode, WrapperSummary[]> | undefined;
  /** Held callbacks written inline: they run while the acquisition call runs. */
  readonly #heldCallbackRunner = new Map<FunctionNode, TSESTree.CallExpression>();

  constructor(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, types: TypeServices) {
    this.sourceCode = sourceCode;
    this.registry = registry;
    this.graph = getCallGraph(sourceCode);
    this.kinds = new InstanceKinds(this.graph, registry, types);
  }

  get resolver(): CallGraph['resolver'] {
    return this.graph.resolver;
  }

  ownerOf(node: TSESTree.Node): CodeOwner {
    return this.graph.enclosingFunction(node);
  }

  functionName(fn: CodeOwner): string {
    return this.graph.functionName(fn);
  }

  isStack(expression: TSESTree.Node): boolean {
    return this.kinds.isStack(expression);
  }

  // ---------------------------------------------------------------- waiting

  /**
   * Where an inline callback's completion goes: the held-callback acquisition that waits for it,
   * or the `xs.map(cb)` call whose array holds its results. Undefined for a callback whose result
   * nobody waits for (`forEach`, `filter`) or that is not run inline.
   */
  #completionRunner(fn: FunctionNode): TSESTree.CallExpression | undefined {
    const held = this.#heldCallbackRunner.get(fn);
    if (held) return held;
    const runner = this.graph.runInline(fn);
    if (!runner || runner.callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const method = memberName(runner.callee);
    return method === 'map' || method === 'flatMap' ? runner : undefined;
  }

  /** True when running `fn` (to the settling of its promise) waits for `node`. */
  waitedWithin(node: TSESTree.Node, fn: CodeOwner): boolean {
    let current = node;
    for (let guard = 0; guard < 100; guard++) {
      if (!waitedBy(current)) return false;
      const owner = this.ownerOf(current);
      if (owner === fn) return true;
      if (owner.type === AST_NODE_TYPES.Program) return false;
      const runner = this.#completionRunner(owner);
      if (!runner) return false;
      current = runner;
    }
    return false;
  }

  /**
   * The lock holds that wait for `node`'s promise, innermost first: a held callback that awaits
   * or returns it (or a callback run inline in one), or an awaited `acquire()` whose range
   * contains the `await`. A hold that does not wait for it is released whatever `node` does.
   */
  waitingHolds(node: TSESTree.Node): Acquisition[] {
    const holds: Acquisition[] = [];
    let current = node;
    for (let guard = 0; guard < 100; guard++) {
      const waited = waitedBy(current);
      if (!waited) break;
      const owner = this.ownerOf(current);
      // A range hold (`acquire()` … `release()`) waits only for what it awaits: a returned
      // promise settles after a `finally { release() }` has already run.
      if (waited === 'awaited') {
        for (const acquisition of this.#acquisitionsOwnedBy(owner)) {
          if (acquisition.effect === 'lock' && acquisition.heldRange && within(current, acquisition.heldRange)) holds.push(acquisition);
        }
      }
      if (owner.type === AST_NODE_TYPES.Program) break;
      const runner = this.#completionRunner(owner);
      if (!runner) break;
      for (const acquisition of this.#acquisitionsOwnedBy(this.ownerOf(runner))) {
        if (acquisition.node === runner && acquisition.heldCallback === owner && acquisition.effect === 'lock') holds.push(acquisition);
      }
      current = runner;
    }
    return holds;
  }

  /**
   * Every acquisition holding at `node`, waiting or not: those of its own function whose held
   * range contains it, then, climbing out of callbacks run inline (held callbacks, `arr.map(cb)`),
   * those holding at the call that runs the callback. What a `using` scope needs.
   */
  heldAt(node: TSESTree.Node): Acquisition[] {
    const held: Acquisition[] = [];
    let current: TSESTree.Node = node;
    for (let guard = 0; guard < 100; guard++) {
      const owner = this.ownerOf(current);
      for (const acquisition of this.#acquisitionsOwnedBy(owner)) {
        if (acquisition.heldRange && within(current, acquisition.heldRange)) held.push(acquisition);
      }
      if (owner.type === AST_NODE_TYPES.Program) break;
      const runner = this.#heldCallbackRunner.get(owner) ?? this.graph.runInline(owner);
      if (!runner) break;
      for (const acquisition of this.#acquisitionsOwnedBy(this.ownerOf(runner))) {
        if (acquisition.node === runner && acquisition.heldCallback === owner) held.push(acquisition);
      }
      current = runner;
    }
    return held;
  }

  #byOwner: { source: readonly Acquisition[]; map: Map<CodeOwner, Acquisition[]> } | undefined;

  #acquisitionsOwnedBy(owner: CodeOwner): readonly Acquisition[] {
    const source = this.#acquisitions ?? [];
    if (this.#byOwner?.source !== source) {
      const map = new Map<CodeOwner, Acquisition[]>();
      for (const acquisition of source) {
        const list = map.get(acquisition.owner) ?? [];
        list.push(acquisition);
        map.set(acquisition.owner, list);
      }
      this.#byOwner = { source, map };
    }
    return this.#byOwner.map.get(owner) ?? [];
  }

  /** Acquisitions that run when `fn` runs (its own, and those of its inline callbacks). */
  acquisitionsRunBy(fn: CodeOwner): readonly Acquisition[] {
    if (!this.#runByIndex) {
      const index = new Map<CodeOwner, Acquisition[]>();
      for (const acquisition of this.acquisitions()) {
        const runner = this.graph.effectiveOwner(acquisition.node);
        const list = index.get(runner) ?? [];
        list.push(acquisition);
        index.set(runner, list);
      }
      this.#runByIndex = index;
    }
    return this.#runByIndex.get(fn) ?? [];
  }

  #runByIndex: Map<CodeOwner, Acquisition[]> | undefined;

  // ---------------------------------------------------------------- acquisitions

  /** Every acquisition in the file (reentrant kinds excluded), wrapper calls included. */
  acquisitions(): readonly Acquisition[] {
    if (!this.#acquisitions) this.#computeAcquisitions();
    return this.#acquisitions ?? [];
  }

  #computeAcquisitions(): void {
    const direct = new AcquisitionRecognizer(this.sourceCode, this.graph, this.kinds, this.registry).directAcquisitions();
    // Every hold, so every wrapper, comes from an acquisition written in the file: without one
    // there is nothing to look for in the file's calls.
    if (direct.length === 0) {
      this.#acquisitions = direct;
      this.#wrappers = new Map();
      return;
    }
    this.#markInlineCallbacks(direct);
    // Wrappers ("runs its callback while holding X") depend on acquisitions, and wrapper calls
    // are acquisitions: iterate to a fixpoint, bounded because summaries only grow.
    this.#wrappers = new Map();
    let acquisitions = direct;
    for (let round = 0; round < 8; round++) {
      this.#acquisitions = acquisitions;
      const wrappers = this.#computeWrappers(acquisitions);
      const changed = countSummaries(wrappers) !== countSummaries(this.#wrappers);
      this.#wrappers = wrappers;
      acquisitions = [...direct, ...this.#wrapperCalls()];
      this.#markInlineCallbacks(acquisitions);
      if (!changed) break;
    }
    this.#acquisitions = acquisitions;
  }

  /**
   * A held callback written inline runs as part of its caller; a named function passed as the
   * callback may be called elsewhere too, so it is explored as a call instead.
   */
  #markInlineCallbacks(acquisitions: readonly Acquisition[]): void {
    for (const acquisition of acquisitions) {
      const call = acquisition.node;
      if (acquisition.heldCallback && call.type === AST_NODE_TYPES.CallExpression && call.arguments.some((argument) => unwrapExpression(argument) === acquisition.heldCallback)) {
        this.#heldCallbackRunner.set(acquisition.heldCallback, call);
        this.graph.markInline(acquisition.heldCallback, call);
      }
    }
  }

  /** True when the acquisition's callback is a named in-file function rather than written inline. */
  hasNamedCallback(acquisition: Acquisition): boolean {
    return acquisition.heldCallback !== undefined && !this.#heldCallbackRunner.has(acquisition.heldCallback);
  }

  /** A callback argument as a function node: inline, or an in-file function it names. */
  #callbackFunction(argument: TSESTree.Node): FunctionNode | undefined {
    return this.graph.functionAt(argument);
  }

  // ---------------------------------------------------------------- wrappers

  #computeWrappers(acquisitions: readonly Acquisition[]): Map<FunctionNode, WrapperSummary[]> {
    const wrappers = new Map<FunctionNode, WrapperSummary[]>();
    const add = (fn: FunctionNode, summary: WrapperSummary): void => {
      const list = wrappers.get(fn) ?? [];
      if (!list.some((known) => known.instance.key === summary.instance.key && known.callbackIndex === summary.callbackIndex)) {
        list.push(summary);
      }
      wrappers.set(fn, list);
    };
    const summaryOf = (fn: FunctionNode, held: Acquisition, callbackIndex: number, waitsForLock: boolean): WrapperSummary => ({
      instance: held.instance,
      callbackIndex,
      effect: held.effect,
      via: [this.functionName(fn), ...(held.via ?? [])],
      capacity: held.capacity,
      shared: held.shared,
      waitsForLock,
    });
    // (a) `return lock.runExclusive(callback)` with `callback` a parameter.
    for (const acquisition of acquisitions) {
      if (acquisition.form !== 'scoped' && acquisition.form !== 'webLock' && acquisition.form !== 'wrapper') continue;
      const call = acquisition.node as TSESTree.CallExpression;
      const fn = this.graph.effectiveOwner(call);
      if (fn.type === AST_NODE_TYPES.Program) continue;
      for (const argument of call.arguments) {
        const parameter = this.#parameterIndex(argument, fn);
        if (parameter === undefined) continue;
        const isCallbackSlot = acquisition.form !== 'wrapper' || this.#wrapperCallbackIndexes(call).includes(callArguments(call).indexOf(argument));
        if (isCallbackSlot) add(fn, summaryOf(fn, acquisition, parameter, acquisition.waitsForLock && this.waitedWithin(call, fn)));
      }
    }
    // (b) `callback()` called while the function holds an instance: a lock hold that waits for
    // the callback, or any `using` scope around it.
    for (const call of this.graph.calls) {
      // Only a call through a plain name can call a parameter (what `#parameterIndex` checks first).
      if (unwrapExpression(call.callee).type !== AST_NODE_TYPES.Identifier) continue;
      const fn = this.graph.effectiveOwner(call);
      if (fn.type === AST_NODE_TYPES.Program) continue;
      const parameter = this.#parameterIndex(call.callee, fn);
      if (parameter === undefined) continue;
      for (const held of this.waitingHolds(call)) add(fn, summaryOf(fn, held, parameter, held.waitsForLock && this.waitedWithin(held.node, fn)));
      for (const held of this.heldAt(call)) if (held.effect === 'dispose') add(fn, summaryOf(fn, held, parameter, true));
    }
    return wrappers;
  }

  #wrapperCallbackIndexes(call: TSESTree.CallExpression): number[] {
    const target = this.graph.calleeOf(call);
    return (target && this.#wrappers?.get(target)?.map((summary) => summary.callbackIndex)) ?? [];
  }

  /** Calls to wrappers, seen as acquisitions of the wrapped instance in the caller's context. */
  #wrapperCalls(): Acquisition[] {
    const result: Acquisition[] = [];
    if (!this.#wrappers || this.#wrappers.size === 0) return result;
    for (const call of this.graph.calls) {
      const target = this.graph.calleeOf(call);
      const summaries = target && this.#wrappers?.get(target);
      if (!target || !summaries) continue;
      const bindings = this.graph.argumentBindings(target, call, EMPTY_BINDINGS);
      for (const summary of summaries) {
        // A lock the wrapper makes itself, or a parameter the caller gives no known instance
        // for, is a new or unknown instance on every call: not the caller's.
        if (!bindings.instances.has(summary.instance.root) && declaredWithin(this.resolver.rootDeclaration(summary.instance.root), target)) continue;
        const instance = substituteRoot(summary.instance, bindings.instances);
        const callbackArgument = callArguments(call)[summary.callbackIndex];
        const heldCallback = callbackArgument && this.#callbackFunction(callbackArgument);
        result.push({
          node: call,
          instance,
          form: 'wrapper',
          effect: summary.effect,
          owner: this.ownerOf(call),
          via: summary.via,
          weight: 1,
          capacity: Math.min(summary.capacity, this.kinds.capacityOf(instance.key, undefined)),
          shared: summary.shared,
          waitsForLock: summary.waitsForLock,
          ...(heldCallback ? { heldCallback } : {}),
        });
      }
    }
    return result;
  }

  #parameterIndex(expression: TSESTree.Node, fn: FunctionNode): number | undefined {
    const unwrapped = unwrapExpression(expression);
    if (unwrapped.type !== AST_NODE_TYPES.Identifier) return undefined;
    // Cheap: only a name one of the parameters has can be one of them.
    const name = unwrapped.name;
    const named = fn.params.some(
      (param) =>
        (param.type === AST_NODE_TYPES.Identifier && param.name === name) ||
        (param.type === AST_NODE_TYPES.AssignmentPattern && param.left.type === AST_NODE_TYPES.Identifier && param.left.name === name),
    );
    if (!named) return undefined;
    const key = this.resolver.resolveKey(unwrapped);
    const parameter = key === undefined ? undefined : this.resolver.parameterRoot(key);
    return parameter?.fn === fn ? parameter.index : undefined;
  }
}

/** True when a declaration (an identifier) lies inside the function: a new binding on every call. */
export function declaredWithin(declaration: TSESTree.Node | undefined, fn: TSESTree.Node): boolean {
  return declaration !== undefined && declaration.range[0] >= fn.range[0] && declaration.range[1] <= fn.range[1];
}

function within(node: TSESTree.Node, range: readonly [number, number]): boolean {
  return node.range[0] >= range[0] && node.range[1] <= range[1];
}

function countSummaries(wrappers: Map<FunctionNode, WrapperSummary[]> | undefined): number {
  let count = 0;
  for (const list of wrappers?.values() ?? []) count += list.length;
  return count;
}

// ---------------------------------------------------------------- per-file cache

const cache = new WeakMap<object, Map<string, FileAnalysis>>();

/**
 * The shared held-section analysis of the file being linted, for one set of user kinds: every
 * rule that asks with the same kinds gets the same object.
 */
export function getFileAnalysis(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, types: TypeServices): FileAnalysis {
  let byOptions = cache.get(sourceCode.ast);
  if (!byOptions) {
    byOptions = new Map();
    cache.set(sourceCode.ast, byOptions);
  }
  const key = `${registry.cacheKey}|${types ? 'typed' : 'untyped'}`;
  let analysis = byOptions.get(key);
  if (!analysis) {
    analysis = new FileAnalysis(sourceCode, registry, types);
    byOptions.set(key, analysis);
    buildCounts.set(sourceCode.ast, (buildCounts.get(sourceCode.ast) ?? 0) + 1);
  }
  return analysis;
}

const buildCounts = new WeakMap<object, number>();

/** For tests: how many analyses were built for a Program (proves the rules share one). */
export function analysisBuildCount(program: object): number {
  return buildCounts.get(program) ?? 0;
}
