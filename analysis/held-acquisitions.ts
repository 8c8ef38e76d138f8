import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { CallGraph, CodeOwner } from './call-graph.js';
import { propertyKeyName, unwrapExpression } from './call-graph.js';
import { waitedBy } from './held-waiting.js';
import type { FunctionNode, InstanceRef } from './instance-identity.js';
import { isFunctionNode, makeRef, memberName } from './instance-identity.js';
import type { InstanceKinds } from './instance-kinds.js';
import type { KindRegistry, ResourceKind } from './resource-kinds.js';
import { UNTYPED_SCOPED_METHOD } from './resource-kinds.js';

/**
 * Which calls and `using` declarations of a file take a stack or lock, each seen on its own: the
 * method and instance kind of a call (`runExclusive`, `acquire`, `waitForUnlock`, a user kind's
 * methods), a Web Lock request with its name and options, a `using` binding. What holds while
 * what runs, and calls to in-file wrappers, are `held-sections.ts`'s business.
 */

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

export class AcquisitionRecognizer {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #graph: CallGraph;
  readonly #kinds: InstanceKinds;
  readonly #registry: KindRegistry;

  constructor(sourceCode: Readonly<TSESLint.SourceCode>, graph: CallGraph, kinds: InstanceKinds, registry: KindRegistry) {
    this.#sourceCode = sourceCode;
    this.#graph = graph;
    this.#kinds = kinds;
    this.#registry = registry;
  }

  /** Every acquisition written in the file, in call order, then the `using` declarations. */
  directAcquisitions(): Acquisition[] {
    const direct: Acquisition[] = [];
    for (const call of this.#graph.calls) {
      const acquisition = this.#acquisitionOfCall(call);
      if (acquisition) direct.push(acquisition);
    }
    for (const declaration of this.#graph.nodesOfType(AST_NODE_TYPES.VariableDeclaration)) {
      if (declaration.kind === 'using' || declaration.kind === 'await using') direct.push(...this.#acquisitionsOfUsing(declaration));
    }
    return direct;
  }

  #acquisitionOfCall(call: TSESTree.CallExpression): Acquisition | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const method = memberName(callee);
    if (method === undefined) return undefined;
    if (method === 'request' && isLocksObject(callee.object)) return this.#webLockAcquisition(call, this.#graph.enclosingFunction(call));
    // Cheap name check before any scope or type lookup: most calls stop here.
    const cheapCandidate = method === UNTYPED_SCOPED_METHOD || method === 'waitForUnlock' || this.#registry.isLockMethodName(method);
    if (!cheapCandidate) return undefined;
    const owner = this.#graph.enclosingFunction(call);
    const instance = this.#graph.resolver.resolve(callee.object);
    if (!instance) return undefined;
    const kind = this.#kinds.kindOfExpression(callee.object);
    if (kind?.reentrant) return undefined;
    const common = { node: call, instance, effect: 'lock' as const, owner, capacity: this.#kinds.capacityOf(instance.key, kind), shared: false, waitsForLock: true };
    if (method === 'waitForUnlock') {
      // async-mutex: a Mutex's `waitForUnlock()` resolves once the mutex is released (a
      // Semaphore's waits for enough permits, which its capacity rules decide: not modelled).
      return kind?.name === 'Mutex' && kind.builtIn ? { ...common, form: 'waitForUnlock', weight: 1 } : undefined;
    }
    const scoped = kind ? kind.scopedMethods.includes(method) : method === UNTYPED_SCOPED_METHOD;
    if (scoped) {
      const callbackArgument = call.arguments.find((argument) => isFunctionNode(argument)) ?? (method === UNTYPED_SCOPED_METHOD ? call.arguments[0] : call.arguments.at(-1));
      const heldCallback = callbackArgument && this.#graph.functionAt(callbackArgument);
      // async-mutex's `semaphore.runExclusive(cb, weight)`.
      const weight = isSemaphore(kind) ? literalWeight(call.arguments[1]) : 1;
      return { ...common, form: 'scoped', weight, ...(heldCallback ? { heldCallback } : {}) };
    }
    if (kind?.acquireMethods.includes(method)) {
      // Until its promise is awaited an `acquire()` holds nothing the code waits on: a request
      // stored, passed on or chained with `.then` is granted later, after the holder moved on.
      const awaited = waitedBy(call) === 'awaited';
      return {
        ...common,
        form: 'acquire',
        weight: isSemaphore(kind) ? literalWeight(call.arguments[0]) : 1,
        ...(awaited ? { heldRange: this.#acquireRange(call, instance, kind, owner) } : {}),
      };
    }
    return undefined;
  }

  /** `navigator.locks.request(name, [options,] cb)` with a constant name; `ifAvailable`/`steal` never wait. */
  #webLockAcquisition(call: TSESTree.CallExpression, owner: CodeOwner): Acquisition | undefined {
    const [nameArgument, second] = call.arguments;
    if (!nameArgument) return undefined;
    this.#nameHasPaths = false;
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
    const heldCallback = callbackArgument && call.arguments.length >= 2 ? this.#graph.functionAt(callbackArgument) : undefined;
    // The key holds resolved ids (numbered in the order the analysis meets them); the label shows
    // what the source wrote for a name built from paths, directly or through a `const`.
    const spelledByTemplate = nameArgument.type === AST_NODE_TYPES.TemplateLiteral && nameArgument.expressions.length > 0;
    const label = spelledByTemplate || this.#nameHasPaths ? `lock ${this.#sourceCode.getText(nameArgument)}` : `lock "${name}"`;
    const instance = makeRef(`w:${name}`, [], label);
    return { node: call, instance, form: 'webLock', effect: 'lock', owner, weight: 1, capacity: 1, shared, waitsForLock: true, ...(heldCallback ? { heldCallback } : {}) };
  }

  /** Set by `#constantLockName` when the name it built holds an instance path's key. */
  #nameHasPaths = false;

  /** A literal, a template of literals and instance paths, or a `const` holding one. */
  #constantLockName(node: TSESTree.Node, depth: number): string | undefined {
    if (depth > 5) return undefined;
    if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
    if (node.type === AST_NODE_TYPES.TemplateLiteral) {
      let text = node.quasis[0]?.value.cooked ?? '';
      for (const [index, expression] of node.expressions.entries()) {
        let part = this.#constantLockName(expression, depth + 1);
        if (part === undefined) {
          part = this.#graph.resolver.resolveKey(expression);
          this.#nameHasPaths = true;
        }
        if (part === undefined) return undefined;
        text += `\${${part}}${node.quasis[index + 1]?.value.cooked ?? ''}`;
      }
      return text;
    }
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = this.#graph.resolver.variableOf(node);
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
      if (releaser?.type === AST_NODE_TYPES.Identifier) releaserRoot = this.#graph.resolver.resolve(releaser)?.key;
    }
    const runner = this.#graph.effectiveOwner(call);
    for (const candidate of this.#graph.calls) {
      if (candidate.range[0] < call.range[1] || candidate.range[0] >= end) continue;
      if (this.#graph.effectiveOwner(candidate) !== runner) continue;
      const callee = unwrapExpression(candidate.callee);
      const releases =
        (releaserRoot !== undefined && callee.type === AST_NODE_TYPES.Identifier && this.#graph.resolver.resolveKey(callee) === releaserRoot) ||
        (callee.type === AST_NODE_TYPES.MemberExpression &&
          kind.releaseMethods.includes(memberName(callee) ?? '') &&
          this.#graph.resolver.resolveKey(callee.object) === instance.key);
      if (releases) end = candidate.range[0];
    }
    return [call.range[1], end];
  }

  #acquisitionsOfUsing(declaration: TSESTree.VariableDeclaration): Acquisition[] {
    const owner = this.#graph.enclosingFunction(declaration);
    const scope = declaration.parent;
    // `for (using x of xs)` holds for the loop body; otherwise to the end of the enclosing block.
    const end =
      scope.type === AST_NODE_TYPES.ForOfStatement || scope.type === AST_NODE_TYPES.ForStatement
        ? scope.body.range[1]
        : scope.range[1];
    const result: Acquisition[] = [];
    for (const declarator of declaration.declarations) {
      const init = declarator.init && unwrapExpression(declarator.init);
      const boundExisting = init && isPathExpression(init) ? this.#graph.resolver.resolve(init) : undefined;
      const instance = boundExisting ?? this.#graph.resolver.resolve(declarator.id);
      if (!instance) continue;
      result.push({ node: declarator, instance, form: 'using', effect: 'dispose', owner, heldRange: [declaration.range[1], end], weight: 1, capacity: 1, shared: false, waitsForLock: true });
    }
    return result;
  }
}

/** async-mutex's (or Deno std's) Semaphore, whose methods take a weight where Mutex's take a priority. */
function isSemaphore(kind: ResourceKind | undefined): boolean {
  return kind?.name === 'Semaphore' && kind.builtIn;
}

/** A literal weight argument (`acquire(2)`); anything else counts as 1, the least it can take. */
function literalWeight(argument: TSESTree.Node | undefined): number {
  return argument?.type === AST_NODE_TYPES.Literal && typeof argument.value === 'number' && argument.value >= 1 ? argument.value : 1;
}

export function isPathExpression(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.Identifier ||
    node.type === AST_NODE_TYPES.MemberExpression ||
    node.type === AST_NODE_TYPES.ThisExpression
  );
}

/** `navigator.locks`, `globalThis.navigator.locks`, `window.navigator.locks`. */
export function isLocksObject(node: TSESTree.Node): boolean {
  const unwrapped = unwrapExpression(node);
  if (unwrapped.type !== AST_NODE_TYPES.MemberExpression || memberName(unwrapped) !== 'locks') return false;
  const navigator = unwrapExpression(unwrapped.object);
  if (navigator.type === AST_NODE_TYPES.Identifier) return navigator.name === 'navigator';
  return navigator.type === AST_NODE_TYPES.MemberExpression && memberName(navigator) === 'navigator';
}
