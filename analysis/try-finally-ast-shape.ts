// The node-shape adapter of the try/finally detector. The detector runs on two ASTs:
// - the codemod's Babel AST (@babel/parser, plain or through recast), and
// - the AST ESLint hands the rule `ctx/prefer-using` (ESTree: espree, or TS-ESTree from
//   @typescript-eslint/parser),
// so the rule never parses a file a second time. The two agree on most node types; every place
// where they differ and the detector cares goes through one predicate here, so the detector
// itself never names a dialect-specific type.

/** An AST node of either dialect, seen structurally. */
export interface AstNode {
  type: string;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
  [key: string]: unknown;
}

/** A comment of either dialect: Babel `CommentLine`/`CommentBlock`, ESTree `Line`/`Block`. */
export interface SourceComment {
  type: string;
  value: string;
  loc?: AstNode['loc'];
}

// Keys that hold no child node: positions, Babel's `extra` and attached comments, ESLint's
// `parent` back-pointer (walking it would loop), the token and comment lists of a Program.
const NON_CHILD_KEYS = new Set([
  'parent',
  'loc',
  'start',
  'end',
  'range',
  'extra',
  'comments',
  'leadingComments',
  'trailingComments',
  'innerComments',
  'tokens',
  'original',
]);

export function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/**
 * The keys that hold a node type's children, as a parser publishes them (ESLint hands a rule
 * its parser's as `sourceCode.visitorKeys`). Reading only those is several times faster than
 * enumerating every key of every node (TS-ESTree nodes carry `range`, `loc`, `parent` and
 * optional fields), which is what makes whole-file walks affordable inside a lint rule.
 */
export type ChildKeys = Readonly<Record<string, readonly string[] | undefined>>;

function visitChildValue(value: unknown, key: string, visit: (child: AstNode, key: string) => void): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (isAstNode(item)) visit(item, key);
    }
  } else if (isAstNode(value)) {
    visit(value, key);
  }
}

/** The keys `forEachChild` reads on `node` (see there). */
export function childKeysOf(node: AstNode, childKeys?: ChildKeys | null): readonly string[] {
  return childKeys?.[node.type] ?? Object.keys(node).filter((key) => !NON_CHILD_KEYS.has(key));
}

/**
 * Calls `visit` for each child node, in key order. Allocation-free on purpose: the detector
 * walks whole functions, and per-node arrays measured as most of its garbage-collection time.
 * With `childKeys`, a node type listed there is read through its keys only; any other node
 * (Babel's, or a type the keys do not know) through all its keys but the non-child ones.
 */
export function forEachChild(node: AstNode, visit: (child: AstNode, key: string) => void, childKeys?: ChildKeys | null): void {
  const keys = childKeys?.[node.type];
  if (keys) {
    for (let index = 0; index < keys.length; index++) visitChildValue(node[keys[index]!], keys[index]!, visit);
    return;
  }
  for (const key in node) {
    if (NON_CHILD_KEYS.has(key)) continue;
    visitChildValue(node[key], key, visit);
  }
}

/** Babel `File` wraps the `Program`; ESTree's root is the `Program`. */
export const programOf = (root: AstNode): AstNode => (root.type === 'File' && isAstNode(root.program) ? root.program : root);

/** Babel `StringLiteral`; ESTree `Literal` with a string value. */
export function isStringLiteral(node: unknown): node is AstNode & { value: string } {
  return isAstNode(node) && (node.type === 'StringLiteral' || (node.type === 'Literal' && typeof node.value === 'string'));
}

/** Babel `NullLiteral`; ESTree `Literal` written `null` (a regexp literal's value can be null too). */
export function isNullLiteral(node: unknown): boolean {
  return isAstNode(node) && (node.type === 'NullLiteral' || (node.type === 'Literal' && node.raw === 'null'));
}

/**
 * ESTree wraps an optional chain (`a?.close()`) in a `ChainExpression`; Babel marks its nodes
 * `OptionalCallExpression` / `OptionalMemberExpression` instead. Returns the chain's expression.
 */
export const unwrapChain = (node: AstNode): AstNode =>
  node.type === 'ChainExpression' && isAstNode(node.expression) ? node.expression : node;

/** A call, optional or not, in either dialect (`f()`, `a?.f()`, `a.f?.()`). */
export const isCall = (node: AstNode): boolean => node.type === 'CallExpression' || node.type === 'OptionalCallExpression';

/** A member access, optional or not, in either dialect. */
export const isMember = (node: AstNode): boolean => node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression';

/** An object literal's `key: value` entry: Babel `ObjectProperty`, ESTree `Property` (not a method or accessor). */
export const isObjectProperty = (node: AstNode): boolean =>
  node.type === 'ObjectProperty' || (node.type === 'Property' && node.kind === 'init' && node.method !== true);

/**
 * Functions. Babel's class and object methods are function nodes themselves; ESTree's
 * `MethodDefinition` / `Property` hold a `FunctionExpression`, which is listed already.
 */
const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

export const isFunction = (node: AstNode): boolean => FUNCTION_TYPES.has(node.type);

/** Class fields: their initializers run in their own scope (no `await`, own `this`). */
const CLASS_FIELD_TYPES = new Set([
  'ClassProperty',
  'ClassPrivateProperty',
  'ClassAccessorProperty',
  'PropertyDefinition',
  'AccessorProperty',
  'TSAbstractPropertyDefinition',
  'TSAbstractAccessorProperty',
]);

/** A scope boundary for `await`/`this`/`return`: a function, a class static block or field. */
export const isCallableBoundary = (node: AstNode): boolean =>
  isFunction(node) || node.type === 'StaticBlock' || CLASS_FIELD_TYPES.has(node.type);

/** Nodes whose non-computed `key` is a property name, not a reference. */
const KEYED_TYPES = new Set([
  'ObjectProperty',
  'ObjectMethod',
  'ClassProperty',
  'ClassMethod',
  'ClassAccessorProperty',
  'TSDeclareMethod',
  'Property',
  'MethodDefinition',
  'PropertyDefinition',
  'AccessorProperty',
  'TSAbstractMethodDefinition',
  'TSAbstractPropertyDefinition',
  'TSAbstractAccessorProperty',
  'TSPropertySignature',
  'TSMethodSignature',
]);

/** An identifier used as a name (not a non-computed property key, member property or private name). */
export function isNameReference(node: AstNode, parent: AstNode | null, key: string | null): boolean {
  if (node.type !== 'Identifier' && node.type !== 'JSXIdentifier') return false;
  if (!parent) return true;
  if (isMember(parent) && key === 'property') return parent.computed === true;
  if (key === 'key' && KEYED_TYPES.has(parent.type)) return parent.computed === true;
  // Babel's `#x` is PrivateName { id: Identifier }; ESTree's is a PrivateIdentifier (no Identifier).
  if (parent.type === 'PrivateName') return false;
  // Babel's TSTypeParameter names its parameter with a string; TS-ESTree with an Identifier.
  if (parent.type === 'TSTypeParameter' && key === 'name') return false;
  if (parent.type === 'JSXAttribute' || parent.type === 'JSXMemberExpression') return key !== 'name' && key !== 'property';
  return true;
}

/** `// …` in either dialect. */
export const isLineComment = (comment: SourceComment): boolean => comment.type === 'CommentLine' || comment.type === 'Line';

/** The key of `parent` that holds `child` (directly or in a list), for callers that only have parent pointers. */
export function childKeyOf(parent: AstNode, child: AstNode): string | null {
  for (const key in parent) {
    if (NON_CHILD_KEYS.has(key)) continue;
    const value = parent[key];
    if (value === child || (Array.isArray(value) && value.includes(child))) return key;
  }
  return null;
}
