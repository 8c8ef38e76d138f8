// The ONE detector for try/finally cleanup sites, shared by the codemod
// `try-finally-to-using` (which rewrites what it finds) and the rule `ctx/prefer-using`
// (which reports it). The codemod runs it on its Babel AST, the rule on the ESTree AST ESLint
// already has; analysis/try-finally-ast-shape.ts hides the differences between the two, and a
// test runs both over every codemod fixture, so the rule reports exactly the sites the codemod
// converts, and both name refusals with the same ids.
//
// The detector decides everything that matters for behaviour (which tries convert, how each
// cleanup is registered, which tries share a stack, where the stack lives); the codemod only
// prints those decisions.

import {
  forEachChild,
  isAstNode,
  isCall,
  isCallableBoundary,
  isFunction,
  isLineComment,
  isMember,
  isNameReference,
  isNullLiteral,
  isObjectProperty,
  isStringLiteral,
  programOf,
  unwrapChain,
  type AstNode,
  type ChildKeys,
  type SourceComment,
} from './try-finally-ast-shape.js';
import type { SiteLocation, SiteRefusal } from './site-result.js';

export type { AstNode, SourceComment };
export { isAstNode };

/** Why a try/finally was left alone. Stable ids: the CLI counts them and the docs list them. */
export type RefusalReason =
  | 'finally-control-flow'
  | 'finally-not-cleanup-only'
  | 'conditional-cleanup'
  | 'resource-reassigned'
  | 'resource-escapes'
  | 'lone-side-effect'
  | 'implicit-any-capture'
  | 'ignored-by-comment';

/** The comment that skips the try/finally (or the declaration heading it) on the next line. */
export const IGNORE_COMMENT = 'ctx-codemod-ignore-next-line';

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
  'lone-side-effect':
    'the finally block only has side effects that release no value acquired before the try (a flag, a field reset, a log); a stack of defers reads worse than the try/finally (convert it anyway with allSites / --all-sites)',
  'implicit-any-capture':
    'the cleanup reads a `let` declared without a type or value; captured by the cleanup callback it becomes implicitly any under noImplicitAny (TS7034/TS7005): annotate its type first',
  'ignored-by-comment': `a \`// ${IGNORE_COMMENT}\` comment directly above the try (or the declaration before it) skips the site`,
};

/** A site is located at its `try` keyword. */
export type { SiteLocation };
export type Refusal = SiteRefusal<RefusalReason>;

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
  /**
   * The statement releases a value acquired before the try (`x.close()`, `release(x)`,
   * `done()` where `const done = acquire()`), as opposed to a side effect such as
   * `busy = false`. A site whose only cleanup is a side effect is left alone by default.
   */
  releasesResource: boolean;
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

type Visitor = (node: AstNode, parent: AstNode | null, key: string | null) => boolean | void;

/** Pre-order walk; the visitor returns false to skip a node's children. */
function walk(root: AstNode, visit: Visitor, parent: AstNode | null = null, key: string | null = null): void {
  if (visit(root, parent, key) === false) return;
  forEachChild(root, (child, childKey) => walk(child, visit, root, childKey), childKeys);
}

function nameOf(node: unknown): string | null {
  return isAstNode(node) && node.type === 'Identifier' && typeof node.name === 'string' ? node.name : null;
}

/**
 * Per-analysis caches of whole-scope facts. Several tries of one function, and every pass of the
 * policy, ask the same questions of the same scope; each scope is walked once. Set only while
 * analyzeTryFinallyCleanups runs (it is synchronous); the codemod mutates the AST afterwards.
 */
interface ScopeMemo {
  nameCounts: WeakMap<AstNode, Map<string, number>>;
  writes: WeakMap<AstNode, Map<string, AstNode[]>>;
}
let memo: ScopeMemo | null = null;
/** The parser's visitor keys while an analysis runs, when its caller has them (see AnalysisOptions.childKeys). */
let childKeys: ChildKeys | null = null;

/** How many times each name is referenced in `root`. */
function nameCounts(root: AstNode): Map<string, number> {
  const cached = memo?.nameCounts.get(root);
  if (cached) return cached;
  const counts = new Map<string, number>();
  walk(root, (node, parent, key) => {
    if (isNameReference(node, parent, key)) counts.set(String(node.name), (counts.get(String(node.name)) ?? 0) + 1);
  });
  memo?.nameCounts.set(root, counts);
  return counts;
}

/** Every name referenced in `root`, skipping the subtree `except` (which lies inside `root`). */
function referencedNames(root: AstNode, except: AstNode | null = null): Set<string> {
  const inside = except ? nameCounts(except) : new Map<string, number>();
  const names = new Set<string>();
  for (const [name, count] of nameCounts(root)) if (count > (inside.get(name) ?? 0)) names.add(name);
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

/** Does the binding pattern bind `name`? (`patternNames(pattern).includes(name)` without the array.) */
function bindsName(pattern: unknown, name: string): boolean {
  if (!isAstNode(pattern)) return false;
  switch (pattern.type) {
    case 'Identifier':
      return pattern.name === name;
    case 'ObjectPattern':
      return (pattern.properties as AstNode[]).some((property) => bindsName(property.type === 'RestElement' ? property.argument : property.value, name));
    case 'ArrayPattern':
      return (pattern.elements as unknown[]).some((element) => bindsName(element, name));
    case 'RestElement':
      return bindsName(pattern.argument, name);
    case 'AssignmentPattern':
      return bindsName(pattern.left, name);
    case 'TSParameterProperty':
      return bindsName(pattern.parameter, name);
    default:
      return false;
  }
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
        if (bindsName(declarator.id, name)) {
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
    if (node.type === 'CatchClause' && bindsName(node.param, name)) {
      return { kind: 'let', declaration: null, declarator: null, scope: node };
    }
    if (isFunction(node)) {
      for (const param of node.params as AstNode[]) {
        if (bindsName(param, name)) return { kind: 'param', declaration: null, declarator: null, scope: node };
      }
    }
    if (node === boundary) return null;
  }
  return null;
}

/** Nodes that write `name` inside `root` (name-based, so conservative under shadowing). */
function writesOf(root: AstNode, name: string, ownDeclarator: AstNode | null): AstNode[] {
  return (writesByName(root).get(name) ?? []).filter((write) => write !== ownDeclarator);
}

/** Every write in `root` (assignment, update, for-in/of head, declarator), by the name written. */
function writesByName(root: AstNode): Map<string, AstNode[]> {
  const cached = memo?.writes.get(root);
  if (cached) return cached;
  const writes = new Map<string, AstNode[]>();
  const add = (name: string | null, node: AstNode): void => {
    if (name === null) return;
    const list = writes.get(name);
    if (list) list.push(node);
    else writes.set(name, [node]);
  };
  walk(root, (node) => {
    if (node.type === 'AssignmentExpression') for (const name of patternNames(node.left)) add(name, node);
    else if (node.type === 'UpdateExpression') add(nameOf(node.argument), node);
    else if (node.type === 'ForOfStatement' || node.type === 'ForInStatement') add(nameOf(node.left), node);
    else if (node.type === 'VariableDeclarator') for (const name of patternNames(node.id)) add(name, node);
  });
  memo?.writes.set(root, writes);
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
    (isNullLiteral(node) ||
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
      (isCall(call.node) || call.node.type === 'NewExpression')
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
          : isObjectProperty(parentNode) && key === 'value' && ancestors.at(-2)?.node.type === 'ObjectExpression'
            ? ancestors.length - 2
            : -1;
      if (literalIndex !== -1 && !isCallArgument(literalIndex)) {
        escapes = true;
        return;
      }
    }
    ancestors.push({ node, key });
    forEachChild(node, visit, childKeys);
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
    const childBreakable = breakable + (isLoop || node.type === 'SwitchStatement' ? 1 : 0);
    const childLoops = loops + (isLoop ? 1 : 0);
    forEachChild(node, (child) => visit(child, childBreakable, childLoops, nextLabels), childKeys);
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
      isStringLiteral(right) &&
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
  if (!isCall(call)) return null;
  const callee = call.callee as AstNode;
  if (!isMember(callee)) return null;
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
  const base = { statement, awaited: checked.awaited, subject: null, call: null, releasesResource: false };
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
  const call = unwrapChain(stripAwait(expression));
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
// The policy: what a cleanup releases

/** Strips what does not change which value an expression yields: `await`, `?.` chains, TS and Flow casts. */
function unwrapValue(node: AstNode): AstNode {
  let current = node;
  for (;;) {
    const inner = unwrapChain(current);
    if (inner !== current) current = inner;
    else if (
      (current.type === 'AwaitExpression' ||
        current.type === 'TSAsExpression' ||
        current.type === 'TSSatisfiesExpression' ||
        current.type === 'TSNonNullExpression' ||
        current.type === 'TSTypeAssertion' ||
        current.type === 'TypeCastExpression') &&
      isAstNode(current.expression ?? current.argument)
    ) {
      current = (current.expression ?? current.argument) as AstNode;
    } else return current;
  }
}

/**
 * A value made by a call or `new` (`open()`, `await pool.connect()`, `setTimeout(…)`): a resource.
 * `yield acquire()` counts as `await acquire()`: it is how TypeScript's and Babel's async
 * downlevelling (`__awaiter`, regenerator) and co-style drivers await inside a generator, e.g.
 * async-mutex's `const [value, release] = yield this.acquire()`.
 */
const isAcquisition = (node: unknown): boolean => {
  if (!isAstNode(node)) return false;
  let value = unwrapValue(node);
  if (value.type === 'YieldExpression' && value.delegate !== true && isAstNode(value.argument)) value = unwrapValue(value.argument);
  return isCall(value) || value.type === 'NewExpression';
};

/**
 * `() => {}`, `() => undefined`, `function () {}`: a do-nothing placeholder for a cleanup the
 * code assigns once it holds the resource (`let release = () => undefined; try { release = await
 * lock.acquire(); … } finally { release(); }`).
 */
function isNoopFunction(node: unknown): boolean {
  if (!isAstNode(node) || (node.type !== 'ArrowFunctionExpression' && node.type !== 'FunctionExpression')) return false;
  if ((node.params as unknown[]).length > 0 || node.async === true || node.generator === true) return false;
  const body = node.body as AstNode;
  if (body.type === 'BlockStatement') return (body.body as AstNode[]).length === 0;
  return isNullish(body);
}

/**
 * `name` is a local of the function holding the try whose value was acquired: declared with a
 * call or `new` as its value, or declared empty (or as a do-nothing function) and assigned
 * later (`let conn; … conn = …`, `let release = () => {}; … release = …`).
 * Parameters, imports and values read from elsewhere (`const previous = process.title`) are not.
 */
function isAcquiredBefore(name: string, ancestors: AstNode[], scope: AstNode): boolean {
  const binding = findBinding(name, ancestors, scope);
  if (!binding?.declarator || binding.kind === 'using') return false;
  const init = binding.declarator.init;
  if (isAcquisition(init)) return true;
  return (isNullish(init) || isNoopFunction(init)) && writesOf(binding.scope, name, binding.declarator).length > 0;
}

/**
 * The calls a cleanup statement makes: `x.close()`, `await release(x)`, `if (x) x.close()`,
 * `x && x.end()`, and a release wrapped in a try/catch that swallows its error
 * (`try { rmSync(dir, { recursive: true }) } catch {}`).
 */
function cleanupCalls(node: AstNode): AstNode[] {
  if (node.type === 'ExpressionStatement') return cleanupCalls(node.expression as AstNode);
  if (node.type === 'IfStatement') return cleanupCalls(node.consequent as AstNode);
  if (node.type === 'BlockStatement') return (node.body as AstNode[]).flatMap(cleanupCalls);
  if (node.type === 'TryStatement') return cleanupCalls(node.block as AstNode);
  const value = unwrapValue(node);
  if (value.type === 'LogicalExpression' && value.operator === '&&') return cleanupCalls(value.right as AstNode);
  return isCall(value) ? [value] : [];
}

/** A call on an acquired value (`x.close()`), the value passed to a release function (`release(x)`), or the value called (`done()`). */
function releasesResource(statement: AstNode, acquired: (name: string | null) => boolean): boolean {
  return cleanupCalls(statement).some((call) => {
    const callee = unwrapValue(call.callee as AstNode);
    if (acquired(nameOf(callee))) return true;
    if (isMember(callee) && acquired(nameOf(unwrapValue(callee.object as AstNode)))) return true;
    return (call.arguments as AstNode[]).some((argument) => acquired(nameOf(unwrapValue(argument))));
  });
}

// jest-mock (30.x: `f[Symbol.dispose] = f.mockRestore`) and @vitest/spy (4.x:
// `mock[Symbol.dispose] = () => mock.mockRestore()`) make every mock and spy disposable with
// the very call a hand-written `finally { spy.mockRestore() }` makes.
const MOCK_FRAMEWORKS = new Set(['jest', 'vi']);
const MOCK_FACTORIES = new Set(['spyOn', 'fn']);
/** Mock methods that return the mock itself, so `jest.spyOn(a, 'b').mockReturnValue(1)` is still the mock. */
const MOCK_SELF_RETURNING = new Set([
  'mockImplementation',
  'mockImplementationOnce',
  'mockReturnValue',
  'mockReturnValueOnce',
  'mockResolvedValue',
  'mockResolvedValueOnce',
  'mockRejectedValue',
  'mockRejectedValueOnce',
  'mockReturnThis',
  'mockName',
  'mockClear',
  'mockReset',
]);

const memberName = (node: AstNode): string | null => (isMember(node) && node.computed !== true ? nameOf(node.property) : null);

/** `jest.spyOn(…)`, `vi.fn(…)`, optionally followed by self-returning calls (`.mockReturnValue(1)`). */
function isMockFactoryCall(node: unknown): boolean {
  if (!isAstNode(node)) return false;
  let value = unwrapValue(node);
  while (isCall(value) && MOCK_SELF_RETURNING.has(memberName(value.callee as AstNode) ?? '')) {
    value = unwrapValue((value.callee as AstNode).object as AstNode);
  }
  if (!isCall(value)) return false;
  const callee = value.callee as AstNode;
  return MOCK_FACTORIES.has(memberName(callee) ?? '') && MOCK_FRAMEWORKS.has(nameOf(callee.object) ?? '');
}

/** `spy.mockRestore()` on a never-reassigned `const spy = jest.spyOn(…)`: `[Symbol.dispose]` makes that same call. */
function isDisposableMockRestore(registration: CleanupRegistration, ancestors: AstNode[], scope: AstNode): boolean {
  const call = registration.call;
  if (registration.kind !== 'adopt' || registration.awaited || !call || !registration.subject) return false;
  if (memberName(unwrapChain(call.callee as AstNode)) !== 'mockRestore' || (call.arguments as unknown[]).length > 0) return false;
  const binding = findBinding(registration.subject, ancestors, scope);
  return (binding?.kind === 'const' || binding?.kind === 'let') && isMockFactoryCall(binding.declarator?.init);
}

/**
 * A name the statement reads that is a `let`/`var` declared without a type annotation and
 * without a value (or `null`/`undefined`). TypeScript types such a variable by control flow;
 * read from a callback, it is implicitly `any` (TS7034 at the declaration, TS7005 at the use).
 */
function readsImplicitAnyLet(statement: AstNode, ancestors: AstNode[], scope: AstNode): boolean {
  for (const name of referencedNames(statement)) {
    const binding = findBinding(name, ancestors, scope);
    const declarator = binding?.declarator;
    if (!declarator || (binding.kind !== 'let' && binding.kind !== 'var')) continue;
    const id = declarator.id as AstNode;
    if (id.type === 'Identifier' && !isAstNode(id.typeAnnotation) && isNullish(declarator.init)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The detector

/** A try statement with a `finally`, where it sits, and its ancestors from the Program down. */
export interface TrySite {
  node: AstNode;
  parent: AstNode;
  parentKey: string;
  ancestors: AstNode[];
}
type TryContext = TrySite;

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
  /**
   * Also convert a site whose only cleanup is a side effect (`finally { busy = false }`).
   * Default false: such a site is refused with `lone-side-effect`.
   */
  allSites?: boolean;
  /** The file is TypeScript: refuse what would not type-check under noImplicitAny. */
  typescript?: boolean;
  /**
   * The file's comments, for `// ctx-codemod-ignore-next-line`. Defaults to the `comments` list
   * of the root node (Babel's File, ESTree's Program).
   */
  comments?: readonly SourceComment[];
  /**
   * The file's try statements that have a `finally`, in source order (pre-order), when the
   * caller has walked the tree already (ESLint has): the detector then walks no more than the
   * functions that hold them.
   */
  tries?: readonly TrySite[];
  /**
   * The parser's visitor keys (ESLint's `sourceCode.visitorKeys`): the detector's walks read
   * only those keys of a node, several times faster than reading every key.
   */
  childKeys?: ChildKeys;
  /**
   * False when the caller reads only the sites (`chains`, `conversions`), as `ctx/prefer-using`
   * does: a try that cannot convert is then dropped before it is decided, and `refusals` may
   * leave it out. Default true (the codemod lists every refusal with its reason).
   */
  refusals?: boolean;
}

/** What a pass decides in advance about a try: refuse it with a reason, or ignore it silently. */
type Predecision = RefusalReason | 'not-a-site';

/** Finds every try/finally cleanup site of a parsed file and decides how each converts or why it is refused. */
export function analyzeTryFinallyCleanups(file: AstNode, options: AnalysisOptions = {}): CleanupAnalysis {
  childKeys = options.childKeys ?? null;
  try {
    return analyzeWithKeys(file, options);
  } finally {
    childKeys = null;
  }
}

function analyzeWithKeys(file: AstNode, options: AnalysisOptions): CleanupAnalysis {
  const program = programOf(file);
  const tries = options.tries ?? collectTries(program);
  if (tries.length === 0) return { conversions: new Map(), chains: [], refusals: [] };

  const comments = options.comments ?? (file.comments as SourceComment[] | undefined) ?? (program.comments as SourceComment[] | undefined) ?? [];
  const ignored = ignoredTries(tries, comments);
  // Whether a site reads better converted depends on the whole chain it heads, and a refused
  // try changes the chains around it: decide, then refuse what the policy leaves alone, and
  // decide again until nothing more is refused (each round only adds refusals).
  const predecided = new Map<AstNode, Predecision>();
  memo = { nameCounts: new WeakMap(), writes: new WeakMap() };
  try {
    // Most tries with a `finally` are lone side effects (`finally { busy = false }`): when no
    // reason is wanted, those are dropped at the cost of the policy's own test, before the
    // detector classifies, checks and places them (twice, when a round refuses more).
    const candidates =
      options.refusals === false && !options.allSites ? tries.filter((site) => ignored.has(site.node) || mayConvert(site, program)) : tries;
    if (candidates.length === 0) return { conversions: new Map(), chains: [], refusals: [] };
    return decideUntilStable(candidates, program, options, predecided, ignored);
  } finally {
    memo = null;
  }
}

function decideUntilStable(
  tries: readonly TryContext[],
  program: AstNode,
  options: AnalysisOptions,
  predecided: Map<AstNode, Predecision>,
  ignored: ReadonlySet<AstNode>,
): CleanupAnalysis {
  for (;;) {
    const analysis = decide(tries, program, options, predecided, ignored);
    let refusedMore = false;
    const predecide = (node: AstNode, decision: Predecision): void => {
      if (predecided.has(node)) return;
      predecided.set(node, decision);
      refusedMore = true;
    };
    for (const chain of analysis.chains) {
      if (ignored.has(chain.head)) {
        // The comment skips the whole site: the tries that would have shared its stack too.
        predecide(chain.head, 'ignored-by-comment');
        for (const member of chain.members) if (member.tryStatement !== chain.head) predecide(member.tryStatement, 'not-a-site');
        continue;
      }
      for (const member of chain.members) if (ignored.has(member.tryStatement)) predecide(member.tryStatement, 'ignored-by-comment');
      // One try/finally whose cleanups release nothing acquired before it (`finally { busy = false }`,
      // `finally { this.a = null; this.b = null; log('end') }`): a stack reads worse than the
      // finally it replaces. A nested chain, or any release, still converts.
      const lone = chain.members.length === 1 ? chain.members[0]! : null;
      if (!options.allSites && lone && lone.registrations.every((registration) => !registration.releasesResource)) {
        predecide(chain.head, 'lone-side-effect');
      }
    }
    if (!refusedMore) return analysis;
  }
}

/** Every try with a `finally` under `program`, in pre-order, with its ancestors. */
function collectTries(program: AstNode): TryContext[] {
  const tries: TryContext[] = [];
  const ancestors: AstNode[] = [];
  const collect = (node: AstNode, parent: AstNode | null, key: string | null): void => {
    if (node.type === 'TryStatement' && isAstNode(node.finalizer) && parent && key) {
      tries.push({ node, parent, parentKey: key, ancestors: [...ancestors] });
    }
    ancestors.push(node);
    forEachChild(node, (child, childKey) => collect(child, node, childKey), childKeys);
    ancestors.pop();
  };
  collect(program, null, null);
  return tries;
}

/** Tries skipped by `// ctx-codemod-ignore-next-line` on the line above them or above the declaration right before them. */
function ignoredTries(tries: readonly TryContext[], comments: readonly SourceComment[]): Set<AstNode> {
  const ignoredLines = new Set<number>();
  for (const comment of comments) {
    // `includes` first: trimming every comment of a large file cost more than the rest of this.
    if (comment.value.includes(IGNORE_COMMENT) && isLineComment(comment) && comment.value.trim() === IGNORE_COMMENT && comment.loc) {
      ignoredLines.add(comment.loc.end.line + 1);
    }
  }
  const ignored = new Set<AstNode>();
  if (ignoredLines.size === 0) return ignored;
  for (const { node, parent } of tries) {
    const siblings = statementList(parent);
    const previous = siblings ? siblings[siblings.indexOf(node) - 1] : undefined;
    const heads = [node, ...(previous?.type === 'VariableDeclaration' ? [previous] : [])];
    if (heads.some((head) => head.loc && ignoredLines.has(head.loc.start.line))) ignored.add(node);
  }
  return ignored;
}

/** One pass of the detector over the collected tries, with some decided in advance. */
function decide(
  tries: readonly TryContext[],
  program: AstNode,
  options: AnalysisOptions,
  predecided: ReadonlyMap<AstNode, Predecision>,
  ignored: ReadonlySet<AstNode>,
): CleanupAnalysis {
  const locationOf = locator(options.recastSource?.text ?? null, options.recastSource?.tabWidth ?? null);
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
      // The comment names why the site is left alone, whatever else would have refused it.
      const why = ignored.has(tryNode) ? 'ignored-by-comment' : reason;
      refusals.push({ ...locationOf(tryNode), reason: why, message: refusalReasons[why] });
    };
    const decision = predecided.get(tryNode);
    if (decision === 'not-a-site') continue;
    if (decision) {
      refuse(decision);
      continue;
    }

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
    // 2b. What each cleanup releases (the policy), which values are disposable already, and
    // what TypeScript accepts once the cleanup reads its names from a callback.
    if (!refusal) {
      const acquired = (name: string | null): boolean => name !== null && isAcquiredBefore(name, tryAncestors, scope);
      for (const registration of registrations) {
        registration.releasesResource = registration.kind === 'dispose' || releasesResource(registration.statement, acquired);
        if (isDisposableMockRestore(registration, tryAncestors, scope)) registration.kind = 'dispose';
      }
      if (options.typescript && registrations.some((registration) => readsImplicitAnyLet(registration.statement, tryAncestors, scope))) {
        refusal = 'implicit-any-capture';
      }
    }
    if (refusal) {
      refuse(refusal);
      continue;
    }

    // 2c. A lone side effect (`finally { busy = false }`) that cannot join the chain of a try
    // around it, and whose own chain no try can join (only a try ending its body could), is
    // what decideUntilStable refuses after this round. Refusing it now spares the placement's
    // whole-function name walks and, most often, the second round.
    const enclosing = parent.type === 'BlockStatement' ? findTryOwningBlock(parent, tryAncestors) : null;
    const enclosingConversion = enclosing ? conversions.get(enclosing) : undefined;
    if (
      !options.allSites &&
      !ignored.has(tryNode) &&
      registrations.every((registration) => !registration.releasesResource) &&
      (!isLast || enclosingConversion === undefined) &&
      !endsWithTryFinally(block)
    ) {
      refuse('lone-side-effect');
      continue;
    }

    // 3. Placement: which block receives the registrations, and which stack.
    const declared = blockDeclaredNames(block);
    const hasHandler = isAstNode(tryNode.handler);
    // Moving the body's declarations into the enclosing block must not collide with, or
    // shadow, any name used elsewhere in the function (conservative: by name).
    // Only a last statement can flatten; the whole-function name walk is paid only then.
    let flattenSafe = hasHandler;
    if (!hasHandler && declared !== null && isLast) {
      const outside = declared.length > 0 ? referencedNames(scope, block) : new Set<string>();
      flattenSafe = declared.every((name) => !outside.has(name));
    }
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

/**
 * Can this try convert under the default policy? False only for a try that `decide` refuses in
 * every round whatever else it finds: one that can share a stack with no other try (its body
 * does not end with a try/finally, and it is not the last statement of a try/finally's body)
 * and none of whose cleanups can release a value acquired before it (step 2b's test, with
 * every `x[Symbol.dispose]()` counted as a release). Dropping it changes no other decision: a
 * refused try is never in `conversions`, the only way one try's decision reads another's.
 */
function mayConvert({ node, parent, ancestors }: TryContext, program: AstNode): boolean {
  const block = node.block as AstNode;
  if (endsWithTryFinally(block)) return true;
  const siblings = statementList(parent);
  if (siblings !== null && siblings[siblings.length - 1] === node && parent.type === 'BlockStatement') {
    const owner = findTryOwningBlock(parent, ancestors);
    if (owner && isAstNode(owner.finalizer)) return true;
  }
  let scope: AstNode = program;
  for (let index = ancestors.length - 1; index >= 0; index--) {
    const ancestor = ancestors[index]!;
    if (isFunction(ancestor) || ancestor.type === 'Program') {
      scope = ancestor;
      break;
    }
  }
  const acquired = (name: string | null): boolean => name !== null && isAcquiredBefore(name, ancestors, scope);
  for (const statement of (node.finalizer as AstNode).body as AstNode[]) {
    if (statement.type === 'ExpressionStatement' && disposeSymbolCall(unwrapChain(stripAwait(statement.expression as AstNode))) !== null) return true;
    if (releasesResource(statement, acquired)) return true;
  }
  return false;
}

/** Does the block end with a try/finally (the only try that can join the block's own try's chain)? */
function endsWithTryFinally(block: AstNode): boolean {
  const last = (block.body as AstNode[]).at(-1);
  return last?.type === 'TryStatement' && isAstNode(last.finalizer);
}

/** The try statement whose `block` is `block`, if any (its nearest ancestor). */
function findTryOwningBlock(block: AstNode, ancestors: AstNode[]): AstNode | null {
  const owner = ancestors[ancestors.length - 2];
  return owner && owner.type === 'TryStatement' && owner.block === block ? owner : null;
}
