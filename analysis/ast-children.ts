import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

/** ESLint's `sourceCode.visitorKeys`: for each node type, the keys that hold its child nodes. */
export type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

/** A node of the tree (an object with a string `type`), as opposed to a value, `null` or a token list. */
export function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * The child nodes of `node`. With `visitorKeys` (ESLint's, which know every parser's node types)
 * in their order; without them, by the node's own keys, minus the back link and positions.
 */
export function childNodes(node: TSESTree.Node, visitorKeys?: VisitorKeys): TSESTree.Node[] {
  const record = node as unknown as Record<string, unknown>;
  const keys = visitorKeys ? (visitorKeys[node.type] ?? []) : Object.keys(node).filter((key) => !NOT_CHILD_KEYS.has(key));
  const children: TSESTree.Node[] = [];
  for (const key of keys) {
    const value = record[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

/** Visits `node` and its descendants, depth first; a `visit` that returns `false` skips the node's children. */
export function walkNodes(node: TSESTree.Node, visitorKeys: VisitorKeys, visit: (node: TSESTree.Node) => boolean | void): void {
  if (visit(node) === false) return;
  for (const child of childNodes(node, visitorKeys)) walkNodes(child, visitorKeys, visit);
}

/**
 * The index of the first of `items` (nodes or tokens, in source order) whose range starts at or
 * after `offset`, by binary search; `items.length` when none does.
 */
export function firstStartingAtOrAfter(items: ReadonlyArray<{ readonly range: readonly [number, number] }>, offset: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((items[middle] as { readonly range: readonly [number, number] }).range[0] < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Strips the wrappers that do not change the value (`x as T`, `x!`, `<T>x`, `x satisfies T`, a `?.` chain). */
export function skipTypeWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    current.type === AST_NODE_TYPES.TSTypeAssertion ||
    current.type === AST_NODE_TYPES.ChainExpression
  ) {
    current = current.expression;
  }
  return current;
}

const NOT_CHILD_KEYS = new Set(['parent', 'loc', 'range']);
