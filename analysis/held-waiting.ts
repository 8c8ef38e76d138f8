import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { memberName } from './instance-identity.js';

/**
 * Whether a promise is waited for, read from the syntax around it alone: no scopes, no call
 * graph. The held-section analysis asks it at every step from a hold to an acquisition.
 */

/** How the enclosing function waits for an expression's promise. */
export type Waited = 'awaited' | 'returned';

/**
 * How the function around `node` waits for the promise `node` evaluates to: `await`ed (also
 * through `Promise.all([...])` / `Promise.all(xs.map(...))`), returned (so whoever waits for
 * the function waits for it), or not at all (passed on, `.then`, `void`, stored, discarded).
 */
export function waitedBy(node: TSESTree.Node): Waited | undefined {
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
