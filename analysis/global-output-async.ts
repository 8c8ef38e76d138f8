/**
 * When other work can run while a global output target is rebound: the points inside a
 * function where it gives way (`await`, `yield`, `for await`, `await using` disposal), and
 * the callbacks that run later (timers, promise reactions, event handlers).
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { SYNC_CALLBACK_METHODS } from './call-graph.js';
import { firstStartingAtOrAfter, skipTypeWrappers } from './ast-children.js';
import { staticPropertyName } from './global-output.js';
import { isFunctionNode, type FunctionNode } from './instance-identity.js';

export { isFunctionNode, type FunctionNode };

/** The code that owns a statement for this analysis: its nearest function, or the program. */
export type CodeOwner = FunctionNode | TSESTree.Program;

/**
 * The code whose run runs `node`: its nearest function, or the program. A synchronous callback
 * that its caller runs on the spot (`keys.forEach((key) => …)`, `new Promise((resolve) => …)`)
 * is part of the function around it: a patch there is the outer function's patch.
 */
export function ownerOf(node: TSESTree.Node): CodeOwner {
  let current = node.parent;
  // `Program.parent` is null at run time although typed as absent: test truthiness.
  while (current) {
    if (current.type === AST_NODE_TYPES.Program) return current;
    if (isFunctionNode(current) && !runsOnTheSpot(current)) return current;
    current = current.parent;
  }
  throw new Error('ownerOf: node is not inside a Program');
}

/**
 * A synchronous function literal passed to an array method that calls it on the spot
 * (`SYNC_CALLBACK_METHODS`, `sort`'s comparator included) or to `new Promise`. An
 * `async` or generator one gives way on its own, so it stays an owner.
 */
function runsOnTheSpot(fn: FunctionNode): boolean {
  if (fn.async || fn.generator || fn.type === AST_NODE_TYPES.FunctionDeclaration) return false;
  const call = fn.parent;
  if (call.type === AST_NODE_TYPES.NewExpression) {
    return call.arguments[0] === fn && call.callee.type === AST_NODE_TYPES.Identifier && call.callee.name === 'Promise';
  }
  if (call.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== fn) return false;
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const method = staticPropertyName(callee.property, callee.computed);
  return method !== null && SYNC_CALLBACK_METHODS.has(method);
}

/** A point where the owning function gives way to other work. */
export interface YieldPoint {
  readonly owner: CodeOwner;
  /** Source offset at which control leaves (for `await using`, the end of its block). */
  readonly offset: number;
  /** Says what gives way, for the message: "an `await`". */
  readonly description: string;
}

/** The yield points one node creates; empty for nodes that never give way. */
export function yieldPointsOf(node: TSESTree.Node): YieldPoint[] {
  switch (node.type) {
    case AST_NODE_TYPES.AwaitExpression:
      return [{ owner: ownerOf(node), offset: node.range[0], description: 'an `await`' }];
    case AST_NODE_TYPES.YieldExpression:
      return [{ owner: ownerOf(node), offset: node.range[0], description: 'a `yield`' }];
    case AST_NODE_TYPES.ForOfStatement:
      if (!node.await) return [];
      // It awaits before the first iteration and again after each body run.
      return [
        { owner: ownerOf(node), offset: node.range[0], description: 'a `for await` loop' },
        { owner: ownerOf(node), offset: node.body.range[1] - 1, description: 'a `for await` loop' },
      ];
    case AST_NODE_TYPES.VariableDeclaration: {
      if (node.kind !== 'await using') return [];
      const blockEnd = (node.parent.type === AST_NODE_TYPES.ForOfStatement ? node.parent.body : node.parent).range[1];
      return [{ owner: ownerOf(node), offset: blockEnd - 1, description: 'an `await using` disposal' }];
    }
    default:
      return [];
  }
}

/**
 * The yield points of one file, asked as "the first one of this function between these two
 * offsets". Built from the nodes that may give way, in the order ESLint's traversal enters them
 * (by start offset); a node's points (and the owner lookup they need) are computed only when a
 * question reaches it. Every point lies at or after its node's start and inside its owner, so
 * a question looks only at the nodes that start inside the function, before the end offset:
 * a test file with hundreds of `await`s and one patch looks at the awaits of one test.
 */
export class YieldPoints {
  readonly #nodes: readonly TSESTree.Node[];
  readonly #points = new Map<TSESTree.Node, YieldPoint[]>();

  /** `nodes` in the order ESLint's traversal enters them (start offsets never decrease). */
  constructor(nodes: readonly TSESTree.Node[]) {
    this.#nodes = nodes;
  }

  /** The first point of `owner` at an offset in [`from`, `to`), in the order of the nodes: what `find` over all points answers. */
  firstBetween(owner: CodeOwner, from: number, to: number): YieldPoint | undefined {
    const nodes = this.#nodes;
    const end = Math.min(to, owner.range[1]);
    for (let index = firstStartingAtOrAfter(nodes, owner.range[0]); index < nodes.length; index++) {
      const node = nodes[index] as TSESTree.Node;
      if (node.range[0] >= end) break;
      for (const point of this.#pointsOf(node)) {
        if (point.owner === owner && point.offset >= from && point.offset < to) return point;
      }
    }
    return undefined;
  }

  #pointsOf(node: TSESTree.Node): YieldPoint[] {
    let points = this.#points.get(node);
    if (points === undefined) {
      points = yieldPointsOf(node);
      this.#points.set(node, points);
    }
    return points;
  }
}

/** Global functions whose callback argument runs in a later task or microtask. */
const LATER_CALLING_FUNCTIONS = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'requestAnimationFrame',
  'requestIdleCallback',
]);

/** Methods whose callback argument runs later: promise reactions, event handlers, `nextTick`. */
const LATER_CALLING_METHODS = new Set([
  ...LATER_CALLING_FUNCTIONS,
  'nextTick',
  'then',
  'catch',
  'finally',
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'addEventListener',
]);

/**
 * When `fn` is passed to something that calls it later, the callee's name (`setTimeout`,
 * `.then`); otherwise `null`. `new Promise(executor)` runs the executor at once: not later.
 */
export function laterCallerOf(fn: FunctionNode): string | null {
  const call = fn.parent;
  if (call.type !== AST_NODE_TYPES.CallExpression || !call.arguments.some((argument) => argument === fn)) return null;
  const callee = skipTypeWrappers(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return LATER_CALLING_FUNCTIONS.has(callee.name) ? callee.name : null;
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
  const method = staticPropertyName(callee.property, callee.computed);
  return method !== null && LATER_CALLING_METHODS.has(method) ? `.${method}` : null;
}

/**
 * When `inner` is nested in `outer` and some function on the way (inner included) is a
 * callback that runs later, that callback's caller name; `null` when it runs synchronously
 * within `outer` or is not nested in it.
 */
export function laterCallbackBetween(inner: CodeOwner, outer: CodeOwner): string | null {
  let laterCaller: string | null = null;
  let current: CodeOwner = inner;
  while (current !== outer) {
    if (current.type === AST_NODE_TYPES.Program) return null;
    laterCaller ??= laterCallerOf(current);
    current = ownerOf(current);
  }
  return laterCaller;
}
