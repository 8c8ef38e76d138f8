import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { Bindings, CodeOwner, ReachStep } from './call-graph.js';
import { EMPTY_BINDINGS } from './call-graph.js';
import type { Acquisition, FileAnalysis } from './held-sections.js';
import { declaredWithin, isPathExpression, unwrapExpression } from './held-sections.js';
import type { FunctionNode, InstanceRef } from './instance-identity.js';
import { substituteRoot } from './instance-identity.js';

/**
 * The whole question `no-nested-reuse` asks: which acquisitions happen while the same instance
 * is held, and through which call chain. The rule only words the answers.
 *
 * A lock acquisition counts only when the hold waits for it (it is awaited, or returned from the
 * held callback, at every step from the hold to the acquisition), and only beyond the instance's
 * capacity. An instance created inside a function is a new one on every call of it, so a
 * recursive call does not take the caller's.
 */

export type Reacquisition =
  /** Taken again directly inside its own hold. */
  | { readonly kind: 'nested'; readonly node: TSESTree.Node; readonly inner: Acquisition; readonly holder: Acquisition; readonly sharedOnly: boolean }
  /** A call inside the hold reaches an acquisition of the held instance. */
  | {
      readonly kind: 'viaCall';
      readonly node: TSESTree.Node;
      readonly inner: Acquisition;
      readonly holder: Acquisition;
      /** Function names from the holder's function to the acquiring one. */
      readonly chain: readonly string[];
      readonly sharedOnly: boolean;
    }
  /** `using s = stack` in a loop body, `stack` made outside the loop. */
  | { readonly kind: 'usingInLoop'; readonly node: TSESTree.Node; readonly inner: Acquisition }
  /** A callee binds the caller's stack with `using`, and the caller uses it afterwards. */
  | { readonly kind: 'calleeDisposesArgument'; readonly node: TSESTree.CallExpression; readonly chain: readonly string[]; readonly label: string; readonly laterUse: TSESTree.Node };

export interface ReacquisitionOptions {
  /** How many calls deep to follow from a held section. */
  readonly maxCallDepth: number;
}

interface Reached {
  readonly inner: Acquisition;
  readonly chain: readonly string[];
  readonly holds: readonly Acquisition[];
}

export function findReacquisitions(analysis: FileAnalysis, options: ReacquisitionOptions): Reacquisition[] {
  const found = new Map<TSESTree.Node, Reacquisition>();
  const add = (finding: Reacquisition): void => {
    if (!found.has(finding.node)) found.set(finding.node, finding);
  };
  const graph = analysis.graph;
  const acquisitions = analysis.acquisitions();
  // Every finding below is an acquisition, or a call inside a hold: none without an acquisition.
  if (acquisitions.length === 0) return [];

  // Direct nesting, at the inner acquisition. An acquisition already found nested never counts as
  // a holder: the first deadlock is the one to fix.
  const inSourceOrder = [...acquisitions].sort((a, b) => a.node.range[0] - b.node.range[0]);
  for (const inner of inSourceOrder) {
    if (inner.effect === 'lock') {
      if (!inner.waitsForLock) continue;
      const holds = analysis.waitingHolds(inner.node).filter((held) => held !== inner && held.instance.key === inner.instance.key && !found.has(held.node));
      const holder = holds[0];
      if (!holder || !waitsBeyondCapacity(holds, inner)) continue;
      add({ kind: 'nested', node: inner.node, inner, holder, sharedOnly: isSharedOnly(holds, inner) });
    } else {
      const holder = analysis.heldAt(inner.node).find((held) => held !== inner && held.instance.key === inner.instance.key && !found.has(held.node));
      if (holder) add({ kind: 'nested', node: inner.node, inner, holder, sharedOnly: false });
    }
  }

  // `using s = stack` in a loop body, `stack` created outside the loop.
  for (const inner of acquisitions) {
    if (inner.form !== 'using' || found.has(inner.node)) continue;
    const declarator = inner.node as TSESTree.VariableDeclarator;
    const init = declarator.init && unwrapExpression(declarator.init);
    if (!init || !isPathExpression(init)) continue;
    const loop = enclosingLoopWithin(declarator, analysis.ownerOf(declarator));
    if (!loop) continue;
    const declaration = analysis.resolver.rootDeclaration(inner.instance.root);
    if (declaration && declaration.range[0] >= loop.range[0] && declaration.range[1] <= loop.range[1]) continue;
    add({ kind: 'usingInLoop', node: declarator, inner });
  }

  // Calls in a held section that reach an acquisition of the held instance.
  const waitedSteps = new WeakMap<ReachStep, boolean>();
  /** True when the hold waits for this step's function: every call on the way is waited for. */
  const stepWaited = (step: ReachStep): boolean => {
    const known = waitedSteps.get(step);
    if (known !== undefined) return known;
    const waited = !step.parent || (step.call !== undefined && stepWaited(step.parent) && analysis.waitedWithin(step.call, step.parent.fn));
    waitedSteps.set(step, waited);
    return waited;
  };

  const explore = (first: ReachStep, holds: readonly Acquisition[]): Reached | undefined => {
    const holdsByKey = new Map<string, Acquisition[]>();
    for (const held of holds) holdsByKey.set(held.instance.key, [...(holdsByKey.get(held.instance.key) ?? []), held]);
    let reached: Reached | undefined;
    const visit = (step: ReachStep): 'stop' | 'skip' | 'continue' => {
      const waited = stepWaited(step);
      for (const inner of analysis.acquisitionsRunBy(step.fn)) {
        const instance = inFrame(analysis, inner.instance, step);
        const sameHolds = instance && holdsByKey.get(instance.key);
        if (!sameHolds) continue;
        if (inner.effect === 'lock') {
          const lockHolds = sameHolds.filter((held) => held.effect === 'lock');
          if (lockHolds.length === 0 || !waited || !inner.waitsForLock || !analysis.waitedWithin(inner.node, step.fn)) continue;
          if (!waitsBeyondCapacity(lockHolds, inner)) continue;
          reached = { inner, chain: [...step.chain, ...(inner.via ?? [])], holds: lockHolds };
        } else {
          reached = { inner, chain: [...step.chain, ...(inner.via ?? [])], holds: sameHolds };
        }
        return 'stop';
      }
      if (step.depth >= options.maxCallDepth) return 'skip';
      // A named function passed as a held callback is called by the lock while it is held.
      for (const acquisition of analysis.acquisitionsRunBy(step.fn)) {
        const callback = acquisition.heldCallback;
        if (!callback || !analysis.hasNamedCallback(acquisition) || step.entered.includes(callback)) continue;
        const next: ReachStep = {
          fn: callback,
          call: undefined,
          bindings: EMPTY_BINDINGS,
          chain: graph.hasName(callback) ? [...step.chain, graph.functionName(callback)] : step.chain,
          entered: [...step.entered, callback],
          depth: step.depth + 1,
          parent: step,
        };
        waitedSteps.set(next, waited && analysis.waitedWithin(acquisition.node, step.fn));
        graph.reachFrom(next, visit, { maxDepth: options.maxCallDepth });
        if (reached) return 'stop';
      }
      return 'continue';
    };
    graph.reachFrom(first, visit, { maxDepth: options.maxCallDepth });
    return reached;
  };

  const firstStep = (fn: FunctionNode, call: TSESTree.CallExpression | undefined, bindings: Bindings): ReachStep => ({
    fn,
    call,
    bindings,
    chain: graph.hasName(fn) ? [graph.functionName(fn)] : [],
    entered: [fn],
    depth: 1,
  });

  const addReached = (node: TSESTree.Node, reached: Reached): void => {
    const holder = reached.holds[0];
    if (!holder) return;
    add({
      kind: 'viaCall',
      node,
      inner: reached.inner,
      holder,
      chain: [analysis.functionName(analysis.ownerOf(holder.node)), ...reached.chain],
      sharedOnly: isSharedOnly(reached.holds, reached.inner),
    });
  };

  const disposeHoldsAt = (node: TSESTree.Node): Acquisition[] => analysis.heldAt(node).filter((held) => held.effect === 'dispose');

  for (const acquisition of acquisitions) {
    // `lock.runExclusive(namedFunction)`: the named function runs inside the section.
    const callback = acquisition.heldCallback;
    if (!callback || !analysis.hasNamedCallback(acquisition) || found.has(acquisition.node)) continue;
    const holds = [acquisition, ...analysis.waitingHolds(acquisition.node), ...disposeHoldsAt(acquisition.node)];
    const reached = explore(firstStep(callback, undefined, EMPTY_BINDINGS), holds);
    if (reached) addReached(acquisition.node, reached);
  }
  const acquisitionNodes = new Set<TSESTree.Node>(acquisitions.map((acquisition) => acquisition.node));
  for (const call of graph.calls) {
    if (found.has(call)) continue;
    const holds = [...analysis.waitingHolds(call), ...disposeHoldsAt(call)];
    if (holds.length === 0) continue;
    const target = graph.calleeOf(call);
    if (!target) continue;
    // A wrapper call already counts as an acquisition of what it wraps (checked above); its
    // callee may still acquire other held instances, so explore it like any call.
    const reached = explore(firstStep(target, call, graph.argumentBindings(target, call)), holds);
    if (reached && !(acquisitionNodes.has(call) && reached.chain.length === 0)) addReached(call, reached);
  }

  // A callee binds the caller's instance with `using` and the caller uses it afterwards.
  if (acquisitions.some((acquisition) => acquisition.form === 'using')) {
    for (const call of graph.calls) {
      if (found.has(call)) continue;
      const target = graph.calleeOf(call);
      if (!target) continue;
      const disposed = disposedArguments(analysis, target, graph.argumentBindings(target, call), [graph.functionName(target)], 1, new Set([target]), options.maxCallDepth);
      const owner = analysis.ownerOf(call);
      for (const { instanceKey, label, chain } of disposed) {
        const root = instanceKey.split('.')[0] ?? '';
        const variable = analysis.resolver.variableOfRoot(root);
        const laterUse = variable?.references.find(
          (reference) =>
            reference.identifier.range[0] > call.range[1] &&
            reference.identifier.range[1] <= owner.range[1] &&
            reference.identifier.range[0] >= owner.range[0],
        );
        if (!laterUse) continue;
        add({ kind: 'calleeDisposesArgument', node: call, chain, label, laterUse: laterUse.identifier });
        break;
      }
    }
  }

  return [...found.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/**
 * The instance an acquisition of a reached function takes, in the holder's terms: a parameter
 * becomes what the caller passed; a value created in a function entered on the way (a local, or
 * a parameter the caller passed nothing known for) is a new one on that call, so none of the
 * holder's (undefined).
 */
function inFrame(analysis: FileAnalysis, instance: InstanceRef, step: ReachStep): InstanceRef | undefined {
  const bound = step.bindings.instances.get(instance.root);
  if (bound) {
    // What the caller passed may itself be fresh in the caller's frame (a re-entered function).
    const callerEntered = step.parent?.entered ?? [];
    return isFreshIn(analysis, bound.root, callerEntered) ? undefined : substituteRoot(instance, step.bindings.instances);
  }
  return isFreshIn(analysis, instance.root, step.entered) ? undefined : instance;
}

function isFreshIn(analysis: FileAnalysis, root: string, entered: readonly FunctionNode[]): boolean {
  const declaration = analysis.resolver.rootDeclaration(root);
  return declaration !== undefined && entered.some((fn) => declaredWithin(declaration, fn));
}

/**
 * True when the holds plus the inner acquisition take more than the instance admits: a
 * `Semaphore(3)` held twice still grants a third permit; a mutex or Web Lock admits one.
 */
function waitsBeyondCapacity(holds: readonly Acquisition[], inner: Acquisition): boolean {
  if (inner.form === 'waitForUnlock') return holds.length > 0;
  const taken = holds.reduce((sum, held) => sum + held.weight, 0);
  return taken + inner.weight > inner.capacity;
}

/** Web Locks: a shared request inside shared holds only (waits behind a queued exclusive one). */
function isSharedOnly(holds: readonly Acquisition[], inner: Acquisition): boolean {
  return inner.shared && holds.every((held) => held.shared);
}

/** `using` bindings reachable from a call whose instance is one of the caller's (through parameters). */
function disposedArguments(
  analysis: FileAnalysis,
  fn: FunctionNode,
  bindings: Bindings,
  chain: readonly string[],
  depth: number,
  visited: Set<FunctionNode>,
  maxCallDepth: number,
): Array<{ instanceKey: string; label: string; chain: readonly string[] }> {
  const found: Array<{ instanceKey: string; label: string; chain: readonly string[] }> = [];
  for (const acquisition of analysis.acquisitionsRunBy(fn)) {
    if (acquisition.form !== 'using' || !bindings.instances.has(acquisition.instance.root)) continue;
    const instance = substituteRoot(acquisition.instance, bindings.instances);
    found.push({ instanceKey: instance.key, label: instance.label, chain });
  }
  if (depth >= maxCallDepth) return found;
  const graph = analysis.graph;
  for (const call of graph.callsRunBy(fn)) {
    const target = graph.calleeOf(call, bindings);
    if (!target || visited.has(target)) continue;
    visited.add(target);
    const innerBindings = graph.argumentBindings(target, call, bindings);
    if (innerBindings.instances.size === 0) continue;
    const innerChain = graph.hasName(target) ? [...chain, graph.functionName(target)] : chain;
    found.push(...disposedArguments(analysis, target, innerBindings, innerChain, depth + 1, visited, maxCallDepth));
  }
  return found;
}

/** The innermost loop around `node` that is still inside `owner` (a loop body runs many passes). */
function enclosingLoopWithin(node: TSESTree.Node, owner: CodeOwner): TSESTree.Node | undefined {
  let current = node.parent;
  while (current && current !== owner) {
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return current;
      default:
        current = current.parent;
    }
  }
  return undefined;
}
