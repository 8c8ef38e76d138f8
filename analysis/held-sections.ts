import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, AST_TOKEN_TYPES } from '@typescript-eslint/utils';

import type { CallGraph, CodeOwner } from './call-graph.js';
import { callArguments, EMPTY_BINDINGS, getCallGraph, propertyKeyName, unwrapExpression } from './call-graph.js';
import type { FunctionNode, InstanceRef } from './instance-identity.js';
import { isFunctionNode, makeRef, memberName, substituteRoot } from './instance-identity.js';
import { InstanceKinds } from './instance-kinds.js';
import type { KindRegistry, ResourceKind } from './resource-kinds.js';
import { containsAny, UNTYPED_SCOPED_METHOD } from './resource-kinds.js';
import type { TypeServices } from './type-services.js';

/**
 * Held sections of one file: where each stack or lock is taken, for which stretch of code it is
 * held, and which holds wait for a given point. Built once per file and set of user kinds, on
 * the shared call graph (`call-graph.ts`) and instance kinds (`instance-kinds.ts`).
 */

export { callArguments, EMPTY_BINDINGS, unwrapExpression } from './call-graph.js';
export type { Bindings } from './call-graph.js';

/** How an instance was taken. */
export type AcquisitionForm =
  /** `lock.runExclusive(cb)`: held while `cb` runs. */
  | 'scoped'
  /** `const release = await lock.acquire()` … `release()`: held in between. */
  | 'acquire'
  /** `navigator.locks.request(name, cb)`: the name is held while `cb` runs. */
  | 'webLock'
  /** `using x = stack`: held (and disposed at the end) for the rest of the block. */
  | 'using'
  /** A call to an in-file function that runs its callback argument while holding an instance. */
  | 'wrapper'
  /** `await mutex.waitForUnlock()`: holds nothing, but waits until every hold is released. */
  | 'waitForUnlock';

export interface Acquisition {
  /** The call or `using` declarator: where a nested acquisition is reported. */
  readonly node: TSESTree.Node;
  /** The instance, in the context of the function that contains `node` (may be a parameter). */
  readonly instance: InstanceRef;
  readonly form: AcquisitionForm;
  /** `lock` deadlocks when nested; `stack` / `disposable` are disposed early by the inner scope. */
  readonly effect: 'lock' | 'dispose';
  /** The function whose body contains `node`, or the Program for top-level code. */
  readonly owner: CodeOwner;
  /** A callback run while the instance is held (inline function, or an in-file function). */
  readonly heldCallback?: FunctionNode;
  /** A source range of `owner` during which the instance is held. */
  readonly heldRange?: readonly [number, number];
  /** For `wrapper`: the chain of in-file functions that hold the instance on the callee side. */
  readonly via?: readonly string[];
  /** How many of the instance's permits it takes (a Semaphore's `acquire(2)`); 1 otherwise. */
  readonly weight: number;
  /** How many holders the instance admits at once (`new Semaphore(3)` → 3; unknown → Infinity). */
  readonly capacity: number;
  /** Web Locks: `{ mode: 'shared' }`. */
  readonly shared: boolean;
  /**
   * False when the call returns before the lock is taken (a wrapper that does not wait for its
   * own acquisition): it then never waits for a hold, whatever its caller awaits.
   */
  readonly waitsForLock: boolean;
}

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

/** How the enclosing function waits for an expression's promise. */
export type Waited = 'awaited' | 'returned';

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
   * How the function around `node` waits for the promise `node` evaluates to: `await`ed (also
   * through `Promise.all([...])` / `Promise.all(xs.map(...))`), returned (so whoever waits for
   * the function waits for it), or not at all (passed on, `.then`, `void`, stored, discarded).
   */
  static waitedBy(node: TSESTree.Node): Waited | undefined {
    let current: TSESTree.Node = node;
    for (let guard = 0; guard < 50; guard++) {
      const parent = current.parent;
      if (!parent) return undefined;
      switch (parent.type) {
        case AST_NODE_TYPES.TSAsExpression:
        case AST_NODE_TYPES.TSNonNullExpression:
        case AST_NODE_TYPES.TSSatisfiesExpression:
        case AST_NODE_TYPES.TSTypeAssertion:
        case AST_NODE_TYPES.ChainExpression:
          current = parent;
          continue;
        case AST_NODE_TYPES.ConditionalExpression:
          if (parent.test === current) return undefined;
          current = parent;
          continue;
        case AST_NODE_TYPES.LogicalExpression:
          current = parent;
          continue;
        case AST_NODE_TYPES.SequenceExpression:
          if (parent.expressions.at(-1) !== current) return undefined;
          current = parent;
          continue;
        case AST_NODE_TYPES.AwaitExpression:
          return 'awaited';
        case AST_NODE_TYPES.ReturnStatement:
          return 'returned';
        case AST_NODE_TYPES.ArrowFunctionExpression:
          return parent.body === current ? 'returned' : undefined;
        case AST_NODE_TYPES.ArrayExpression:
          if (parent.parent.type === AST_NODE_TYPES.CallExpression && isPromiseCombinator(parent.parent) && parent.parent.arguments[0] === parent) {
            current = parent.parent;
            continue;
          }
          return undefined;
        case AST_NODE_TYPES.CallExpression:
          // `Promise.all(xs.map(...))`: the array the callback results are in.
          if (isPromiseCombinator(parent) && parent.arguments[0] === current) {
            current = parent;
            continue;
          }
          return undefined;
        default:
          return undefined;
      }
    }
    return undefined;
  }

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
      if (!FileAnalysis.waitedBy(current)) return false;
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
      const waited = FileAnalysis.waitedBy(current);
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
    const direct: Acquisition[] = [];
    for (const call of this.graph.calls) {
      const acquisition = this.#acquisitionOfCall(call);
      if (acquisition) direct.push(acquisition);
    }
    for (const declaration of this.graph.nodesOfType(AST_NODE_TYPES.VariableDeclaration)) {
      if (declaration.kind === 'using' || declaration.kind === 'await using') direct.push(...this.#acquisitionsOfUsing(declaration));
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

  #acquisitionOfCall(call: TSESTree.CallExpression): Acquisition | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const method = memberName(callee);
    if (method === undefined) return undefined;
    if (method === 'request' && isLocksObject(callee.object)) return this.#webLockAcquisition(call, this.ownerOf(call));
    // Cheap name check before any scope or type lookup: most calls stop here.
    const cheapCandidate = method === UNTYPED_SCOPED_METHOD || method === 'waitForUnlock' || this.registry.isLockMethodName(method);
    if (!cheapCandidate) return undefined;
    const owner = this.ownerOf(call);
    const instance = this.resolver.resolve(callee.object);
    if (!instance) return undefined;
    const kind = this.kinds.kindOfExpression(callee.object);
    if (kind?.reentrant) return undefined;
    const common = { node: call, instance, effect: 'lock' as const, owner, capacity: this.kinds.capacityOf(instance.key, kind), shared: false, waitsForLock: true };
    if (method === 'waitForUnlock') {
      // async-mutex: a Mutex's `waitForUnlock()` resolves once the mutex is released (a
      // Semaphore's waits for enough permits, which its capacity rules decide: not modelled).
      return kind?.name === 'Mutex' && kind.builtIn ? { ...common, form: 'waitForUnlock', weight: 1 } : undefined;
    }
    const scoped = kind ? kind.scopedMethods.includes(method) : method === UNTYPED_SCOPED_METHOD;
    if (scoped) {
      const callbackArgument = call.arguments.find((argument) => isFunctionNode(argument)) ?? (method === UNTYPED_SCOPED_METHOD ? call.arguments[0] : call.arguments.at(-1));
      const heldCallback = callbackArgument && this.#callbackFunction(callbackArgument);
      // async-mutex's `semaphore.runExclusive(cb, weight)`.
      const weight = isSemaphore(kind) ? literalWeight(call.arguments[1]) : 1;
      return { ...common, form: 'scoped', weight, ...(heldCallback ? { heldCallback } : {}) };
    }
    if (kind?.acquireMethods.includes(method)) {
      // Until its promise is awaited an `acquire()` holds nothing the code waits on: a request
      // stored, passed on or chained with `.then` is granted later, after the holder moved on.
      const awaited = FileAnalysis.waitedBy(call) === 'awaited';
      return {
        ...common,
        form: 'acquire',
        weight: isSemaphore(kind) ? literalWeight(call.arguments[0]) : 1,
        ...(awaited ? { heldRange: this.#acquireRange(call, instance, kind, owner) } : {}),
      };
    }
    return undefined;
  }

  /** A callback argument as a function node: inline, or an in-file function it names. */
  #callbackFunction(argument: TSESTree.Node): FunctionNode | undefined {
    return this.graph.functionAt(argument);
  }

  /** `navigator.locks.request(name, [options,] cb)` with a constant name; `ifAvailable`/`steal` never wait. */
  #webLockAcquisition(call: TSESTree.CallExpression, owner: CodeOwner): Acquisition | undefined {
    const [nameArgument, second] = call.arguments;
    if (!nameArgument) return undefined;
    const name = this.#constantLockName(nameArgument, 0);
    if (name === undefined) return undefined;
    let shared = false;
    if (call.arguments.length >= 3 && second?.type === AST_NODE_TYPES.ObjectExpression) {
      const option = (key: string): TSESTree.Node | undefined =>
        second.properties.find((property): property is TSESTree.Property => property.type === AST_NODE_TYPES.Property && propertyKeyName(property.key, property.computed) === key)?.value;
      const isTrue = (node: TSESTree.Node | undefined): boolean => node?.type === AST_NODE_TYPES.Literal && node.value === true;
      if (isTrue(option('ifAvailable')) || isTrue(option('steal'))) return undefined;
      const mode = option('mode');
      shared = mode?.type === AST_NODE_TYPES.Literal && mode.value === 'shared';
    }
    const callbackArgument = call.arguments.at(-1);
    const heldCallback = callbackArgument && call.arguments.length >= 2 ? this.#callbackFunction(callbackArgument) : undefined;
    // The key holds resolved ids; the label shows what the source wrote for a template name.
    const label = nameArgument.type === AST_NODE_TYPES.TemplateLiteral && nameArgument.expressions.length > 0 ? `lock ${this.sourceCode.getText(nameArgument)}` : `lock "${name}"`;
    const instance = makeRef(`w:${name}`, [], label);
    return { node: call, instance, form: 'webLock', effect: 'lock', owner, weight: 1, capacity: 1, shared, waitsForLock: true, ...(heldCallback ? { heldCallback } : {}) };
  }

  /** A literal, a template of literals and instance paths, or a `const` holding one. */
  #constantLockName(node: TSESTree.Node, depth: number): string | undefined {
    if (depth > 5) return undefined;
    if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
    if (node.type === AST_NODE_TYPES.TemplateLiteral) {
      let text = node.quasis[0]?.value.cooked ?? '';
      for (const [index, expression] of node.expressions.entries()) {
        const part = this.#constantLockName(expression, depth + 1) ?? this.resolver.resolve(expression)?.key;
        if (part === undefined) return undefined;
        text += `\${${part}}${node.quasis[index + 1]?.value.cooked ?? ''}`;
      }
      return text;
    }
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = this.resolver.variableOf(node);
      const def = variable?.defs[0];
      if (variable?.defs.length === 1 && def?.type === 'Variable' && def.parent.kind === 'const' && def.node.init) {
        return this.#constantLockName(def.node.init, depth + 1);
      }
    }
    return undefined;
  }

  /**
   * From `acquire()` to the first later release in the same function: the returned releaser
   * (`const release = await m.acquire()`, `const [, release] = await sem.acquire()`) or a
   * release method on the same instance. `using permit = await sem.acquire()` releases at the
   * end of its block. Without a release the lock is held to the function's end.
   */
  #acquireRange(call: TSESTree.CallExpression, instance: InstanceRef, kind: ResourceKind, owner: CodeOwner): [number, number] {
    let holder: TSESTree.Node = call;
    while (holder.parent?.type === AST_NODE_TYPES.AwaitExpression) holder = holder.parent;
    let releaserRoot: string | undefined;
    let end = owner.range[1];
    const binding = holder.parent;
    if (binding?.type === AST_NODE_TYPES.VariableDeclarator && binding.init === holder) {
      const declaration = binding.parent;
      if (declaration.kind === 'using' || declaration.kind === 'await using') end = declaration.parent.range[1];
      const releaser =
        binding.id.type === AST_NODE_TYPES.Identifier
          ? binding.id
          : binding.id.type === AST_NODE_TYPES.ArrayPattern
            ? binding.id.elements[1]
            : undefined;
      if (releaser?.type === AST_NODE_TYPES.Identifier) releaserRoot = this.resolver.resolve(releaser)?.key;
    }
    const runner = this.graph.effectiveOwner(call);
    for (const candidate of this.graph.calls) {
      if (candidate.range[0] < call.range[1] || candidate.range[0] >= end) continue;
      if (this.graph.effectiveOwner(candidate) !== runner) continue;
      const callee = unwrapExpression(candidate.callee);
      const releases =
        (releaserRoot !== undefined && callee.type === AST_NODE_TYPES.Identifier && this.resolver.resolveKey(callee) === releaserRoot) ||
        (callee.type === AST_NODE_TYPES.MemberExpression &&
          kind.releaseMethods.includes(memberName(callee) ?? '') &&
          this.resolver.resolveKey(callee.object) === instance.key);
      if (releases) end = candidate.range[0];
    }
    return [call.range[1], end];
  }

  #acquisitionsOfUsing(declaration: TSESTree.VariableDeclaration): Acquisition[] {
    const owner = this.ownerOf(declaration);
    const scope = declaration.parent;
    // `for (using x of xs)` holds for the loop body; otherwise to the end of the enclosing block.
    const end =
      scope.type === AST_NODE_TYPES.ForOfStatement || scope.type === AST_NODE_TYPES.ForStatement
        ? scope.body.range[1]
        : scope.range[1];
    const result: Acquisition[] = [];
    for (const declarator of declaration.declarations) {
      const init = declarator.init && unwrapExpression(declarator.init);
      const boundExisting = init && isPathExpression(init) ? this.resolver.resolve(init) : undefined;
      const instance = boundExisting ?? this.resolver.resolve(declarator.id);
      if (!instance) continue;
      result.push({ node: declarator, instance, form: 'using', effect: 'dispose', owner, heldRange: [declaration.range[1], end], weight: 1, capacity: 1, shared: false, waitsForLock: true });
    }
    return result;
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

/** async-mutex's (or Deno std's) Semaphore, whose methods take a weight where Mutex's take a priority. */
function isSemaphore(kind: ResourceKind | undefined): boolean {
  return kind?.name === 'Semaphore' && kind.builtIn;
}

/** A literal weight argument (`acquire(2)`); anything else counts as 1, the least it can take. */
function literalWeight(argument: TSESTree.Node | undefined): number {
  return argument?.type === AST_NODE_TYPES.Literal && typeof argument.value === 'number' && argument.value >= 1 ? argument.value : 1;
}

/** `Promise.all(…)` / `Promise.allSettled(…)`: settles only after every element settled. */
function isPromiseCombinator(call: TSESTree.CallExpression): boolean {
  const callee = call.callee;
  return (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === 'Promise' &&
    ['all', 'allSettled'].includes(memberName(callee) ?? '')
  );
}

function countSummaries(wrappers: Map<FunctionNode, WrapperSummary[]> | undefined): number {
  let count = 0;
  for (const list of wrappers?.values() ?? []) count += list.length;
  return count;
}

export function isPathExpression(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.Identifier ||
    node.type === AST_NODE_TYPES.MemberExpression ||
    node.type === AST_NODE_TYPES.ThisExpression
  );
}

/** `navigator.locks`, `globalThis.navigator.locks`, `window.navigator.locks`. */
function isLocksObject(node: TSESTree.Node): boolean {
  const unwrapped = unwrapExpression(node);
  if (unwrapped.type !== AST_NODE_TYPES.MemberExpression || memberName(unwrapped) !== 'locks') return false;
  const navigator = unwrapExpression(unwrapped.object);
  if (navigator.type === AST_NODE_TYPES.Identifier) return navigator.name === 'navigator';
  return navigator.type === AST_NODE_TYPES.MemberExpression && memberName(navigator) === 'navigator';
}

// ---------------------------------------------------------------- cheap pre-checks

/**
 * True when the file may contain an acquisition the rules recognise; false lets a rule return
 * before any traversal. Text tests first; a `using` declaration is confirmed on the token list
 * (comments and prose say "using" all the time).
 */
export function mayContainAcquisition(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, typed: boolean): boolean {
  const text = sourceCode.text;
  if (!(typed ? registry.typedCandidatePattern : registry.untypedCandidatePattern).test(text)) return false;
  // With types any `acquire()` receiver may turn out to be a Mutex declared elsewhere.
  if (typed) return true;
  if (containsAny(text, registry.scopedCallWords)) return true;
  if (containsAny(text, registry.acquireCallWords) && containsAny(text, registry.kindNameWords)) return true;
  // Prose says "using" all the time: the text shape of a declaration first, then the tokens.
  return text.includes('using') && USING_DECLARATION_TEXT.test(text) && hasUsingDeclaration(sourceCode.ast.tokens);
}

/** `using x =`, `using x of` as text: comments may match, the token scan decides. */
const USING_DECLARATION_TEXT = /\busing\s+[\p{L}$_][\p{L}\p{N}$_]*\s*(?:=|of\b)/u;

/** `using x =`, `await using x =`, `for (using x of …)` in the token list. */
function hasUsingDeclaration(tokens: readonly TSESTree.Token[]): boolean {
  for (let index = 0; index < tokens.length - 2; index++) {
    if (tokens[index]?.value !== 'using') continue;
    const name = tokens[index + 1];
    const after = tokens[index + 2];
    if (name?.type === AST_TOKEN_TYPES.Identifier && (after?.value === '=' || after?.value === 'of')) return true;
  }
  return false;
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
