// The ONE detector for try/finally cleanup sites, shared by the codemod
// `try-finally-to-using` (which rewrites what it finds) and the rule `ctx/prefer-using`
// (which reports it). Both run it on the same Babel AST (analysis/try-finally-parse.ts),
// so the rule reports exactly the sites the codemod converts, and both name refusals
// with the same ids.
//
// The detector decides everything that matters for behaviour (which tries convert, how each
// cleanup is registered, which tries share a stack, where the stack lives); the codemod only
// prints those decisions.

/** A Babel AST node, seen structurally (the detector reads a few fields of a few node types). */
export interface AstNode {
  type: string;
  loc?: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
  [key: string]: unknown;
}

/** Why a try/finally was left alone. Stable ids: the CLI counts them and the docs list them. */
export type RefusalReason =
  | 'finally-control-flow'
  | 'finally-not-cleanup-only'
  | 'conditional-cleanup'
  | 'resource-reassigned'
  | 'resource-escapes';

export const refusalReasons: Readonly<Record<RefusalReason, string>> = {
  'finally-control-flow':
    'the finally block contains return, throw, break, continue or yield, which a disposer cannot express',
  'finally-not-cleanup-only':
    'the finally block declares names or contains its own try/finally, so it is not a list of independent cleanups',
  'conditional-cleanup':
    'a cleanup runs under a condition other than a null check of its resource (often an ownership hand-off, better written with stack.move())',
  'resource-reassigned':
    'the resource variable is reassigned, so registering it when the try begins would release a different value',
  'resource-escapes':
    'the resource is returned, yielded or stored from inside the try, so the code hands out a value it closes',
};

export interface SiteLocation {
  /** 1-based line of the `try` keyword. */
  line: number;
  /** 0-based column of the `try` keyword. */
  column: number;
}

export interface Refusal extends SiteLocation {
  reason: RefusalReason;
  message: string;
}

/** How one statement of a `finally` becomes a registration on the scope's stack. */
export interface CleanupRegistration {
  /**
   * - `dispose`: `x[Symbol.dispose]()` / `await x[Symbol.asyncDispose]()`: x is proven
   *   disposable (`using x`, or `stack.use(x)`).
   * - `adopt`: `x.method(…)` on a local binding that does not change during the try:
   *   `stack.adopt(x, (x) => x.method(…))`.
   * - `defer`: any other cleanup statement, kept verbatim: `stack.defer(() => { … })`.
   */
  kind: 'dispose' | 'adopt' | 'defer';
  /** The statement of the `finally` block it comes from (reused by the printer). */
  statement: AstNode;
  /** The statement waits for the cleanup (`await` outside nested functions). */
  awaited: boolean;
  /** For `adopt` / `dispose`: the resource binding and the call (without its `await`). */
  subject: string | null;
  call: AstNode | null;
}

export interface TryConversion {
  tryStatement: AstNode;
  /** Where the try sits: `parent[parentKey]` is the try or the statement list holding it. */
  parent: AstNode;
  parentKey: string;
  /** The try heading the chain this one belongs to (itself when it heads a chain). */
  chainHead: AstNode;
  /**
   * `flatten`: the try is the last statement of a block, its registrations and body go
   * straight into that block (or the chain head's block). `block`: the try is replaced by a
   * new block so cleanup runs exactly where the `finally` ran.
   */
  placement: 'flatten' | 'block';
  /** Whether the try's body statements are spliced in (false: kept as a nested block). */
  spliceBody: boolean;
  /** In `finally` order; the printer registers them in reverse so they run in this order. */
  registrations: CleanupRegistration[];
  /** The declaration directly before the try that takes the registration (`using x = …`). */
  foldedDeclaration: AstNode | null;
}

/** Tries that share one stack: a head and the tries nested as the last statement of its body. */
export interface CleanupChain extends SiteLocation {
  head: AstNode;
  members: TryConversion[];
  /** Some cleanup is awaited: `await using stack = new AsyncDisposableStack()`. */
  async: boolean;
  /** False when every registration is a folded `using x = …`: no stack at all. */
  needsStack: boolean;
}

export interface CleanupAnalysis {
  conversions: Map<AstNode, TryConversion>;
  /** In source order; each chain is one converted site. */
  chains: CleanupChain[];
  /** In source order. */
  refusals: Refusal[];
}

// ---------------------------------------------------------------------------------------------
// Generic AST walking

const NON_CHILD_KEYS = new Set([
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

function childEntries(node: AstNode): Array<[string, AstNode]> {
  const out: Array<[string, AstNode]> = [];
  for (const key of Object.keys(node)) {
    if (NON_CHILD_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isAstNode(item)) out.push([key, item]);
    } else if (isAstNode(value)) {
      out.push([key, value]);
    }
  }
  return out;
}

type Visitor = (node: AstNode, parent: AstNode | null, key: string | null) => boolean | void;

/** Pre-order walk; the visitor returns false to skip a node's children. */
function walk(root: AstNode, visit: Visitor, parent: AstNode | null = null, key: string | null = null): void {
  if (visit(root, parent, key) === false) return;
  for (const [childKey, child] of childEntries(root)) walk(child, visit, root, childKey);
}

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

const isFunction = (node: AstNode): boolean => FUNCTION_TYPES.has(node.type);

/** A scope boundary for `await`/`this`/`return`: a function, a class static block or field. */
const isCallableBoundary = (node: AstNode): boolean =>
  isFunction(node) || node.type === 'StaticBlock' || node.type === 'ClassProperty' || node.type === 'ClassPrivateProperty';

/** An identifier used as a name (not a non-computed property key or member property). */
function isNameReference(node: AstNode, parent: AstNode | null, key: string | null): boolean {
  if (node.type !== 'Identifier' && node.type !== 'JSXIdentifier') return false;
  if (!parent) return true;
  if ((parent.type === 'MemberExpression' || parent.type === 'OptionalMemberExpression') && key === 'property') {
    return parent.computed === true;
  }
  if (
    key === 'key' &&
    (parent.type === 'ObjectProperty' ||
      parent.type === 'ObjectMethod' ||
      parent.type === 'ClassProperty' ||
      parent.type === 'ClassMethod' ||
      parent.type === 'TSPropertySignature')
  ) {
    return parent.computed === true;
  }
  if (parent.type === 'JSXAttribute' || parent.type === 'JSXMemberExpression') return key !== 'name' && key !== 'property';
  return true;
}

function nameOf(node: unknown): string | null {
  return isAstNode(node) && node.type === 'Identifier' && typeof node.name === 'string' ? node.name : null;
}

/** Every name referenced in `root`, skipping the subtree `except`. */
function referencedNames(root: AstNode, except: AstNode | null = null): Set<string> {
  const names = new Set<string>();
  walk(root, (node, parent, key) => {
    if (node === except) return false;
    if (isNameReference(node, parent, key)) names.add(String(node.name));
    return true;
  });
  return names;
}

function mentions(root: AstNode, name: string): boolean {
  let found = false;
  walk(root, (node, parent, key) => {
    if (found) return false;
    if (isNameReference(node, parent, key) && node.name === name) found = true;
    return !found;
  });
  return found;
}

/** Names bound by a binding pattern (`x`, `{ a, b: [c] }`, `...rest`, `x = 1`). */
function patternNames(pattern: unknown, out: string[] = []): string[] {
  if (!isAstNode(pattern)) return out;
  switch (pattern.type) {
    case 'Identifier':
      out.push(String(pattern.name));
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties as AstNode[]) {
        patternNames(property.type === 'RestElement' ? property.argument : property.value, out);
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements as unknown[]) patternNames(element, out);
      break;
    case 'RestElement':
      patternNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left, out);
      break;
    case 'TSParameterProperty':
      patternNames(pattern.parameter, out);
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Statement lists and bindings

/** The statement array of a node that holds one (`{ … }`, a program, a static block). */
function statementList(node: AstNode): AstNode[] | null {
  if (node.type === 'BlockStatement' || node.type === 'Program' || node.type === 'StaticBlock' || node.type === 'TSModuleBlock') {
    return node.body as AstNode[];
  }
  if (node.type === 'SwitchCase') return node.consequent as AstNode[];
  return null;
}

interface BindingInfo {
  kind: 'const' | 'let' | 'var' | 'using' | 'param' | 'import' | 'other';
  declaration: AstNode | null;
  declarator: AstNode | null;
  /** The node whose subtree is the binding's scope (for write searches). */
  scope: AstNode;
}

function declarationsIn(statements: AstNode[], name: string, scope: AstNode): BindingInfo | null {
  for (const raw of statements) {
    const statement =
      (raw.type === 'ExportNamedDeclaration' || raw.type === 'ExportDefaultDeclaration') && isAstNode(raw.declaration)
        ? raw.declaration
        : raw;
    if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations as AstNode[]) {
        if (patternNames(declarator.id).includes(name)) {
          const kind = String(statement.kind);
          return {
            kind: kind === 'const' || kind === 'let' || kind === 'var' ? kind : 'using',
            declaration: statement,
            declarator,
            scope,
          };
        }
      }
    } else if (
      (statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') &&
      nameOf(statement.id) === name
    ) {
      return { kind: 'other', declaration: statement, declarator: null, scope };
    } else if (statement.type === 'ImportDeclaration') {
      for (const specifier of statement.specifiers as AstNode[]) {
        if (nameOf(specifier.local) === name) return { kind: 'import', declaration: statement, declarator: null, scope };
      }
    }
  }
  return null;
}

/** Finds the binding `name` refers to at the try, looking no further out than `boundary`. */
function findBinding(name: string, ancestors: AstNode[], boundary: AstNode): BindingInfo | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const node = ancestors[i]!;
    const list = statementList(node);
    if (list && node.type !== 'SwitchCase') {
      const found = declarationsIn(list, name, node);
      if (found) return found;
    }
    if (node.type === 'SwitchStatement') {
      for (const switchCase of node.cases as AstNode[]) {
        const found = declarationsIn(switchCase.consequent as AstNode[], name, node);
        if (found) return found;
      }
    }
    if ((node.type === 'ForStatement' && isAstNode(node.init)) || node.type === 'ForOfStatement' || node.type === 'ForInStatement') {
      const head = (node.type === 'ForStatement' ? node.init : node.left) as AstNode;
      if (head.type === 'VariableDeclaration') {
        const found = declarationsIn([head], name, node);
        if (found) return { ...found, declarator: node.type === 'ForStatement' ? found.declarator : null };
      }
    }
    if (node.type === 'CatchClause' && patternNames(node.param).includes(name)) {
      return { kind: 'let', declaration: null, declarator: null, scope: node };
    }
    if (isFunction(node)) {
      for (const param of node.params as AstNode[]) {
        if (patternNames(param).includes(name)) return { kind: 'param', declaration: null, declarator: null, scope: node };
      }
    }
    if (node === boundary) return null;
  }
  return null;
}

/** Nodes that write `name` inside `root` (name-based, so conservative under shadowing). */
function writesOf(root: AstNode, name: string, ownDeclarator: AstNode | null): AstNode[] {
  const writes: AstNode[] = [];
  walk(root, (node) => {
    if (node.type === 'AssignmentExpression' && patternNames(node.left).includes(name)) writes.push(node);
    else if (node.type === 'UpdateExpression' && nameOf(node.argument) === name) writes.push(node);
    else if ((node.type === 'ForOfStatement' || node.type === 'ForInStatement') && nameOf(node.left) === name) {
      writes.push(node);
    } else if (node.type === 'VariableDeclarator' && node !== ownDeclarator && patternNames(node.id).includes(name)) {
      writes.push(node);
    }
  });
  return writes;
}

function contains(root: AstNode, target: AstNode): boolean {
  let found = false;
  walk(root, (node) => {
    if (found) return false;
    if (node === target) found = true;
    return !found;
  });
  return found;
}

const isNullish = (node: unknown): boolean =>
  node === null ||
  node === undefined ||
  (isAstNode(node) &&
    (node.type === 'NullLiteral' ||
      nameOf(node) === 'undefined' ||
      (node.type === 'UnaryExpression' && node.operator === 'void')));

/**
 * Does the resource escape the try body: returned, yielded, assigned, or put in an array or
 * object literal that is itself kept? A literal handed straight to a call
 * (`Promise.race([done, timeout])`, `emit({ socket })`) is an argument, like `f(timeout)`.
 */
function escapesFrom(body: AstNode, name: string): boolean {
  let escapes = false;
  const ancestors: Array<{ node: AstNode; key: string | null }> = [];
  const isCallArgument = (index: number): boolean => {
    const literal = ancestors[index];
    const call = ancestors[index - 1];
    return (
      literal !== undefined &&
      call !== undefined &&
      literal.key === 'arguments' &&
      (call.node.type === 'CallExpression' || call.node.type === 'OptionalCallExpression' || call.node.type === 'NewExpression')
    );
  };
  const visit = (node: AstNode, key: string | null): void => {
    if (escapes) return;
    const parent = ancestors.at(-1);
    if (nameOf(node) === name && parent) {
      const parentNode = parent.node;
      if (
        (parentNode.type === 'ReturnStatement' && key === 'argument') ||
        (parentNode.type === 'YieldExpression' && key === 'argument') ||
        (parentNode.type === 'AssignmentExpression' && key === 'right') ||
        (parentNode.type === 'VariableDeclarator' && key === 'init') ||
        (parentNode.type === 'ArrowFunctionExpression' && key === 'body')
      ) {
        escapes = true;
        return;
      }
      // `[x]` / `{ x }` / `{ key: x }`: kept unless the literal is itself a call argument.
      const literalIndex =
        parentNode.type === 'ArrayExpression' && key === 'elements'
          ? ancestors.length - 1
          : parentNode.type === 'ObjectProperty' && key === 'value' && ancestors.at(-2)?.node.type === 'ObjectExpression'
            ? ancestors.length - 2
            : -1;
      if (literalIndex !== -1 && !isCallArgument(literalIndex)) {
        escapes = true;
        return;
      }
    }
    ancestors.push({ node, key });
    for (const [childKey, child] of childEntries(node)) visit(child, childKey);
    ancestors.pop();
  };
  visit(body, null);
  return escapes;
}

// ---------------------------------------------------------------------------------------------
// One `finally` statement

interface StatementCheck {
  refusal: RefusalReason | null;
  awaited: boolean;
}

/** Control flow, declarations and awaits inside a finally statement (outside nested functions). */
function checkCleanupStatement(statement: AstNode): StatementCheck {
  if (
    statement.type === 'VariableDeclaration' ||
    statement.type === 'FunctionDeclaration' ||
    statement.type === 'ClassDeclaration'
  ) {
    return { refusal: 'finally-not-cleanup-only', awaited: false };
  }
  let refusal: RefusalReason | null = null;
  let awaited = false;
  // Labels and loop/switch depth inside the statement: a `break` that stays inside is fine.
  const visit = (node: AstNode, breakable: number, loops: number, labels: Set<string>): void => {
    if (refusal) return;
    if (isCallableBoundary(node) || node.type === 'ClassBody') return;
    switch (node.type) {
      case 'ReturnStatement':
      case 'ThrowStatement':
      case 'YieldExpression':
        refusal = 'finally-control-flow';
        return;
      case 'BreakStatement': {
        const label = nameOf(node.label);
        if (label ? !labels.has(label) : breakable === 0) refusal = 'finally-control-flow';
        return;
      }
      case 'ContinueStatement': {
        const label = nameOf(node.label);
        if (label ? !labels.has(label) : loops === 0) refusal = 'finally-control-flow';
        return;
      }
      case 'VariableDeclaration':
        if (node.kind === 'var') refusal = 'finally-not-cleanup-only';
        break;
      case 'TryStatement':
        if (isAstNode(node.finalizer)) refusal = 'finally-not-cleanup-only';
        break;
      case 'AwaitExpression':
        awaited = true;
        break;
      case 'ForOfStatement':
        if (node.await === true) awaited = true;
        break;
    }
    const isLoop = /^(For|ForIn|ForOf|While|DoWhile)Statement$/.test(node.type);
    const nextLabels =
      node.type === 'LabeledStatement' ? new Set([...labels, String(nameOf(node.label))]) : labels;
    for (const [, child] of childEntries(node)) {
      visit(
        child,
        breakable + (isLoop || node.type === 'SwitchStatement' ? 1 : 0),
        loops + (isLoop ? 1 : 0),
        nextLabels,
      );
    }
  };
  visit(statement, 0, 0, new Set());
  return { refusal, awaited };
}

/** `x`, `x != null`, `x !== undefined`, `typeof x !== 'undefined'`, `x != null && x !== …`: the name. */
function nullCheckedName(test: AstNode): string | null {
  const direct = nameOf(test);
  if (direct) return direct;
  if (test.type === 'BinaryExpression' && (test.operator === '!=' || test.operator === '!==')) {
    const left = test.left as AstNode;
    const right = test.right as AstNode;
    if (isNullish(right) && nameOf(left)) return nameOf(left);
    if (isNullish(left) && nameOf(right)) return nameOf(right);
    if (
      left.type === 'UnaryExpression' &&
      left.operator === 'typeof' &&
      right.type === 'StringLiteral' &&
      right.value === 'undefined'
    ) {
      return nameOf(left.argument);
    }
  }
  if (test.type === 'LogicalExpression' && test.operator === '&&') {
    const left = nullCheckedName(test.left as AstNode);
    return left !== null && left === nullCheckedName(test.right as AstNode) ? left : null;
  }
  return null;
}

const stripAwait = (node: AstNode): AstNode =>
  node.type === 'AwaitExpression' && isAstNode(node.argument) ? node.argument : node;

/** `obj.m(…)`, `obj?.m(…)`, `obj.m?.(…)`, `obj[k](…)`: the object's name. */
function callSubject(call: AstNode): string | null {
  if (call.type !== 'CallExpression' && call.type !== 'OptionalCallExpression') return null;
  const callee = call.callee as AstNode;
  if (callee.type !== 'MemberExpression' && callee.type !== 'OptionalMemberExpression') return null;
  return nameOf(callee.object);
}

/** `x[Symbol.dispose]()` (sync) or `x[Symbol.asyncDispose]()` (async): which one, or null. */
function disposeSymbolCall(call: AstNode): 'dispose' | 'asyncDispose' | null {
  if (call.type !== 'CallExpression' || (call.arguments as unknown[]).length > 0) return null;
  const callee = call.callee as AstNode;
  if (callee.type !== 'MemberExpression' || callee.computed !== true) return null;
  const property = callee.property as AstNode;
  if (property.type !== 'MemberExpression' || property.computed === true || nameOf(property.object) !== 'Symbol') {
    return null;
  }
  const which = nameOf(property.property);
  return which === 'dispose' || which === 'asyncDispose' ? which : null;
}

interface ClassifiedStatement {
  refusal: RefusalReason | null;
  registration: CleanupRegistration | null;
}

function classifyCleanup(statement: AstNode): ClassifiedStatement {
  const checked = checkCleanupStatement(statement);
  if (checked.refusal) return { refusal: checked.refusal, registration: null };
  const base = { statement, awaited: checked.awaited, subject: null, call: null };
  if (statement.type === 'IfStatement') {
    // A null check guards the value it releases: `if (threw) fs.closeSync(fd)` tests a flag.
    const guarded = nullCheckedName(statement.test as AstNode);
    if (!guarded || isAstNode(statement.alternate) || !mentions(statement.consequent as AstNode, guarded)) {
      return { refusal: 'conditional-cleanup', registration: null };
    }
    return { refusal: null, registration: { ...base, kind: 'defer', subject: guarded } };
  }
  if (statement.type !== 'ExpressionStatement') return { refusal: null, registration: { ...base, kind: 'defer' } };
  const expression = statement.expression as AstNode;
  if (expression.type === 'ConditionalExpression') return { refusal: 'conditional-cleanup', registration: null };
  if (expression.type === 'LogicalExpression') {
    const guarded = expression.operator === '&&' ? nullCheckedName(expression.left as AstNode) : null;
    if (!guarded || !mentions(expression.right as AstNode, guarded)) return { refusal: 'conditional-cleanup', registration: null };
    return { refusal: null, registration: { ...base, kind: 'defer', subject: guarded } };
  }
  const isAwaitedCall = expression.type === 'AwaitExpression';
  const call = stripAwait(expression);
  const subject = callSubject(call);
  if (!subject) return { refusal: null, registration: { ...base, kind: 'defer' } };
  // An `await` nested inside the call's arguments would need an async callback: keep it verbatim.
  if (checked.awaited && !isAwaitedCall) return { refusal: null, registration: { ...base, kind: 'defer', subject } };
  // `fs.closeSync(fd)`, `pool.release(conn)`: the call's object is a service, not the resource;
  // only an argument-less method call (`x.close()`, `x.release()`) says which value it releases.
  if ((call.arguments as unknown[]).length > 0) return { refusal: null, registration: { ...base, kind: 'defer', subject } };
  const symbol = disposeSymbolCall(call);
  const provenDisposable = (symbol === 'dispose' && !isAwaitedCall) || (symbol === 'asyncDispose' && isAwaitedCall);
  return { refusal: null, registration: { ...base, kind: provenDisposable ? 'dispose' : 'adopt', subject, call } };
}

// ---------------------------------------------------------------------------------------------
// The detector

interface TryContext {
  node: AstNode;
  parent: AstNode;
  parentKey: string;
  ancestors: AstNode[];
}

/**
 * Where a node starts, as ESLint counts it (a tab is one column). A plain Babel parse gives that
 * directly. A recast parse (the codemod's) gives the same line but counts the line's leading
 * whitespace with tabs expanded to `recastTabWidth`: convert back, or the rule and the codemod
 * would name different columns on tab-indented files.
 */
function locator(source: string | null, recastTabWidth: number | null): (node: AstNode) => SiteLocation {
  const lines = source?.split('\n') ?? [];
  return (node) => {
    const line = node.loc?.start.line ?? 0;
    const column = node.loc?.start.column ?? 0;
    const text = lines[line - 1];
    if (recastTabWidth === null || text === undefined) return { line, column };
    const indent = /^[\t ]*/.exec(text)![0];
    let width = 0;
    for (const char of indent) {
      width = char === '\t' ? (Math.floor(width / recastTabWidth) + 1) * recastTabWidth : width + 1;
    }
    return { line, column: column >= width ? indent.length + (column - width) : column };
  };
}

/** Names a block declares at its top level (let/const/class, and using); null when it declares a function. */
function blockDeclaredNames(block: AstNode): string[] | null {
  const names: string[] = [];
  for (const statement of block.body as AstNode[]) {
    if (statement.type === 'FunctionDeclaration') return null;
    if (statement.type === 'ClassDeclaration') names.push(String(nameOf(statement.id)));
    if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
      for (const declarator of statement.declarations as AstNode[]) patternNames(declarator.id, names);
    }
  }
  return names;
}

const hasUsingDeclaration = (block: AstNode): boolean =>
  (block.body as AstNode[]).some(
    (statement) => statement.type === 'VariableDeclaration' && String(statement.kind).includes('using'),
  );

export interface AnalysisOptions {
  /** The parsed text, and the tab width recast used, when `file` comes from a recast parse. */
  recastSource?: { text: string; tabWidth: number };
}

/** Finds every try/finally cleanup site of a parsed file and decides how each converts or why it is refused. */
export function analyzeTryFinallyCleanups(file: AstNode, options: AnalysisOptions = {}): CleanupAnalysis {
  const locationOf = locator(options.recastSource?.text ?? null, options.recastSource?.tabWidth ?? null);
  const program = file.type === 'File' ? (file.program as AstNode) : file;
  const tries: TryContext[] = [];
  const ancestors: AstNode[] = [];
  const collect = (node: AstNode, parent: AstNode | null, key: string | null): void => {
    if (node.type === 'TryStatement' && isAstNode(node.finalizer) && parent && key) {
      tries.push({ node, parent, parentKey: key, ancestors: [...ancestors] });
    }
    ancestors.push(node);
    for (const [childKey, child] of childEntries(node)) collect(child, node, childKey);
    ancestors.pop();
  };
  collect(program, null, null);

  const conversions = new Map<AstNode, TryConversion>();
  const refusals: Refusal[] = [];
  const chainsByHead = new Map<AstNode, CleanupChain>();

  for (const context of tries) {
    const { node: tryNode, parent, ancestors: tryAncestors } = context;
    const finalizer = tryNode.finalizer as AstNode;
    const block = tryNode.block as AstNode;
    const cleanupStatements = (finalizer.body as AstNode[]).filter((statement) => statement.type !== 'EmptyStatement');
    if (cleanupStatements.length === 0) continue; // nothing to clean up: not a site

    const refuse = (reason: RefusalReason): void => {
      refusals.push({ ...locationOf(tryNode), reason, message: refusalReasons[reason] });
    };

    const scope = [...tryAncestors].reverse().find((node) => isFunction(node) || node.type === 'Program') ?? program;
    const siblings = statementList(parent);
    const index = siblings ? siblings.indexOf(tryNode) : -1;
    const isLast = siblings !== null && index === siblings.length - 1;

    // 1. Each statement of the finally must be an independent cleanup.
    const registrations: CleanupRegistration[] = [];
    let refusal: RefusalReason | null = null;
    for (const statement of cleanupStatements) {
      const classified = classifyCleanup(statement);
      if (classified.refusal) {
        refusal = classified.refusal;
        break;
      }
      registrations.push(classified.registration!);
    }
    if (refusal) {
      refuse(refusal);
      continue;
    }

    // 2. Each resource must stay the same value and stay inside.
    let foldedDeclaration: AstNode | null = null;
    for (const registration of registrations) {
      const subject = registration.subject;
      if (!subject) continue;
      const binding = findBinding(subject, tryAncestors, scope);
      if (!binding) {
        // Not a local of this function (a global, an outer closure's variable, a `var` declared
        // inside the try): the verbatim cleanup reads it when the scope exits, as `finally` did.
        registration.kind = 'defer';
        continue;
      }
      if (escapesFrom(block, subject)) {
        refusal = 'resource-escapes';
        break;
      }
      const canChange = binding.kind === 'let' || binding.kind === 'var' || binding.kind === 'param';
      const writes = canChange ? writesOf(binding.scope, subject, binding.declarator) : [];
      if (writes.length > 0) {
        // `let conn; try { conn = connect(); … } finally { conn?.release(); }`: acquired inside
        // the try. A verbatim deferred cleanup reads the variable at exit, exactly as finally did.
        const lateAcquisition =
          binding.declarator !== null &&
          isNullish(binding.declarator.init) &&
          writes.every((write) => contains(block, write));
        if (!lateAcquisition) {
          refusal = 'resource-reassigned';
          break;
        }
        registration.kind = 'defer';
      }
    }
    if (refusal) {
      refuse(refusal);
      continue;
    }

    // 3. Placement: which block receives the registrations, and which stack.
    const declared = blockDeclaredNames(block);
    const hasHandler = isAstNode(tryNode.handler);
    // Moving the body's declarations into the enclosing block must not collide with, or
    // shadow, any name used elsewhere in the function (conservative: by name).
    let flattenSafe = hasHandler;
    if (!hasHandler && declared !== null) {
      const outside = declared.length > 0 ? referencedNames(scope, block) : new Set<string>();
      flattenSafe = declared.every((name) => !outside.has(name));
    }
    const enclosing = parent.type === 'BlockStatement' ? findTryOwningBlock(parent, tryAncestors) : null;
    const enclosingConversion = enclosing ? conversions.get(enclosing) : undefined;
    const joinsChain =
      isLast &&
      enclosingConversion !== undefined &&
      !isAstNode(enclosingConversion.tryStatement.handler) &&
      enclosingConversion.spliceBody &&
      !hasUsingDeclaration(parent) &&
      flattenSafe;
    const splicedAway =
      enclosingConversion !== undefined && !isAstNode(enclosingConversion.tryStatement.handler) && enclosingConversion.spliceBody;
    const placement: TryConversion['placement'] =
      joinsChain || (isLast && parent.type === 'BlockStatement' && !splicedAway && flattenSafe) ? 'flatten' : 'block';
    const spliceBody =
      hasHandler ||
      placement === 'flatten' ||
      (declared ?? []).every((name) => !mentions(finalizer, name));

    // 4. A lone `using`-able cleanup takes the declaration right before the try.
    // (Not in a `case` clause: the other clauses of the switch share its scope.)
    if (registrations.length === 1 && siblings && index > 0 && parent.type !== 'SwitchCase') {
      const only = registrations[0]!;
      const previous = siblings[index - 1]!;
      const declarator =
        previous.type === 'VariableDeclaration' &&
        (previous.kind === 'const' || previous.kind === 'let') &&
        (previous.declarations as AstNode[]).length === 1
          ? (previous.declarations as AstNode[])[0]!
          : null;
      const binding = only.subject ? findBinding(only.subject, tryAncestors, scope) : null;
      if (
        declarator &&
        (only.kind === 'adopt' || only.kind === 'dispose') &&
        nameOf(declarator.id) === only.subject &&
        isAstNode(declarator.init) &&
        binding?.declarator === declarator &&
        // In a new block the declaration moves inside: no other statement of the list may use
        // the name (a later use, or a hoisted function declared earlier and called later).
        (placement === 'flatten' ||
          !siblings.some((other, at) => at !== index && at !== index - 1 && mentions(other, only.subject!)))
      ) {
        foldedDeclaration = previous;
      }
    }

    const conversion: TryConversion = {
      tryStatement: tryNode,
      parent,
      parentKey: context.parentKey,
      chainHead: joinsChain ? enclosingConversion.chainHead : tryNode,
      placement,
      spliceBody,
      registrations,
      foldedDeclaration,
    };
    conversions.set(tryNode, conversion);
    if (joinsChain) {
      chainsByHead.get(conversion.chainHead)!.members.push(conversion);
    } else {
      chainsByHead.set(tryNode, { ...locationOf(tryNode), head: tryNode, members: [conversion], async: false, needsStack: false });
    }
  }

  const chains = [...chainsByHead.values()];
  for (const chain of chains) {
    const all = chain.members.flatMap((member) => member.registrations.map((registration) => ({ member, registration })));
    chain.async = all.some(({ registration }) => registration.awaited);
    chain.needsStack = all.some(
      ({ member, registration }) => registration.kind !== 'dispose' || member.foldedDeclaration === null,
    );
  }
  chains.sort((a, b) => a.line - b.line || a.column - b.column);
  refusals.sort((a, b) => a.line - b.line || a.column - b.column);
  return { conversions, chains, refusals };
}

/** The try statement whose `block` is `block`, if any (its nearest ancestor). */
function findTryOwningBlock(block: AstNode, ancestors: AstNode[]): AstNode | null {
  const owner = ancestors[ancestors.length - 2];
  return owner && owner.type === 'TryStatement' && owner.block === block ? owner : null;
}
