/**
 * Where a `using` / `await using` binding outlives the scope that disposes it: the value, a
 * closure that captures it, or an object / array literal that holds either, reaching code that
 * runs after the scope ended (a caller, an outer variable, a field, a timer, an event listener,
 * a promise reaction nobody awaits inside the scope).
 *
 * The analysis follows values, not paths: it starts from the binding's references (eslint-scope
 * or typescript-eslint's scope manager, so shadowing is resolved), follows the value up through
 * the expressions that pass it on unchanged (`a ?? f`, `f as T`, `[f]`, `{ f }`), through local
 * aliases (`const g = f`), and stops at a sink. A use that computes something from the value
 * (`f.read()`, `use(f)`) is a sink that does not escape: passing a value to a call is not, by
 * itself, an ownership transfer this analysis can see, and reporting it would bury the real cases.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { isFunctionNode, ownerOf, type CodeOwner, type FunctionNode } from './global-output-async.js';
import { skipTypeWrappers } from './ast-children.js';
import { staticPropertyName } from './global-output.js';

/** How a binding escapes; one message of the rule each. */
export type EscapeForm =
  | 'returned'
  | 'yielded'
  | 'assignedToOuter'
  | 'storedInField'
  | 'returnedPromise'
  | 'closureReturned'
  | 'closureStored'
  | 'closureExported'
  | 'closureTimer'
  | 'closureListener'
  | 'closureContinuation';

export interface UsingEscape {
  readonly form: EscapeForm;
  /** Where the value (or the closure holding it) leaves the scope. */
  readonly node: TSESTree.Node;
  /** What it escapes into, as written: `this.conn`, `cache`, `setTimeout`, `server.on`, `.then`. */
  readonly target: string;
  /** The callee a closure is handed to (`setTimeout`, `server.on`), for the rule's allow list. */
  readonly callee?: string;
}

/** What type information adds; absent without it. */
export interface EscapeTypeQueries {
  /** True when the expression's type has a `then` method. */
  isThenable(node: TSESTree.Node): boolean;
}

/** The value followed: the binding itself, or a function that captures it. */
type Carried = 'value' | 'closure';

const TIMER_FUNCTIONS = new Set(['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'requestAnimationFrame', 'requestIdleCallback', 'nextTick']);
const TIMER_CLEARS = new Set(['clearTimeout', 'clearInterval', 'clearImmediate', 'cancelAnimationFrame', 'cancelIdleCallback']);
const TIMER_HOLDERS = new Set(['globalThis', 'window', 'self', 'global', 'timers', 'process']);
const LISTENER_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener', 'addEventListener']);
const LISTENER_REMOVALS = new Set(['off', 'removeListener', 'removeEventListener', 'removeAllListeners']);
const CONTINUATION_METHODS = new Set(['then', 'catch', 'finally']);
const PROMISE_COMBINATORS = new Set(['all', 'allSettled', 'race', 'any']);
/** Without types, a returned call is taken for a promise only by these names. */
const ASYNC_METHOD_NAME = /Async$/u;
// Alias chains deeper than this only occur in generated code; stop rather than risk the stack.
const MAX_DEPTH = 50;

/**
 * The escapes of one `using` declarator whose id is an identifier (destructuring is a syntax
 * error for `using`). `types` is given with type information only.
 */
export function findUsingEscapes(
  sourceCode: Readonly<TSESLint.SourceCode>,
  declarator: TSESTree.VariableDeclarator,
  types?: EscapeTypeQueries,
): UsingEscape[] {
  const [variable] = sourceCode.getDeclaredVariables(declarator);
  if (!variable) return [];
  return new EscapeSearch(sourceCode, declarator, types).run(variable);
}

class EscapeSearch {
  private readonly owner: CodeOwner;
  /** The node whose end disposes the binding: its block, or the `for` statement it heads. */
  private readonly scopeNode: TSESTree.Node;
  private readonly escapes = new Map<string, UsingEscape>();
  private readonly visitedVariables = new Set<TSESLint.Scope.Variable>();
  private readonly visitedFunctions = new Set<TSESTree.Node>();
  /** The binding and its local aliases: a listener on the resource itself dies with it. */
  private readonly carriers = new Set<TSESLint.Scope.Variable>();

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    declarator: TSESTree.VariableDeclarator,
    private readonly types: EscapeTypeQueries | undefined,
  ) {
    const declaration = declarator.parent as TSESTree.VariableDeclaration;
    this.scopeNode = declaration.parent;
    this.owner = ownerOf(declaration);
  }

  run(variable: TSESLint.Scope.Variable): UsingEscape[] {
    this.visitVariable(variable, 'value', 0);
    return [...this.escapes.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
  }

  private add(form: EscapeForm, node: TSESTree.Node, target: string, callee?: string): void {
    const key = `${form}:${node.range[0]}:${node.range[1]}`;
    if (!this.escapes.has(key)) this.escapes.set(key, callee === undefined ? { form, node, target } : { form, node, target, callee });
  }

  /** Every read of a variable that carries the value (or a closure over it). */
  private visitVariable(variable: TSESLint.Scope.Variable, carried: Carried, depth: number): void {
    if (this.visitedVariables.has(variable) || depth > MAX_DEPTH) return;
    this.visitedVariables.add(variable);
    if (carried === 'value') this.carriers.add(variable);
    for (const reference of variable.references) {
      if (!reference.isRead()) continue;
      const identifier = reference.identifier as TSESTree.Node;
      // Type positions (`typeof f`) carry nothing.
      if (identifier.parent?.type === AST_NODE_TYPES.TSTypeQuery) continue;
      // Inside a closure too: `this.conn = f` in a `forEach` callback stores it all the same
      // (a `return` there returns from the closure, which `visitValue` tells apart).
      this.visitValue(identifier, carried, depth);
      // Each function between the read and the scope's own code captures the value; any one of
      // them that runs later carries it out (a timer in a `forEach` callback too).
      for (const closure of this.closuresBetween(identifier)) this.visitClosure(closure, depth);
    }
  }

  /** The functions that enclose `node` inside the binding's owner, innermost first. */
  private closuresBetween(node: TSESTree.Node): FunctionNode[] {
    const closures: FunctionNode[] = [];
    for (let current = node.parent; current && current !== this.owner; current = current.parent) {
      if (isFunctionNode(current)) closures.push(current);
    }
    return closures;
  }

  private visitClosure(closure: FunctionNode, depth: number): void {
    if (this.visitedFunctions.has(closure)) return;
    this.visitedFunctions.add(closure);
    if (closure.type === AST_NODE_TYPES.FunctionDeclaration) {
      const exported = closure.parent;
      if (exported.type === AST_NODE_TYPES.ExportNamedDeclaration || exported.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
        this.add('closureExported', closure, closure.id?.name ?? 'default');
      }
      const name = this.sourceCode.getDeclaredVariables(closure).find((variable) => variable.name === closure.id?.name);
      if (name) this.visitVariable(name, 'closure', depth + 1);
      return;
    }
    this.visitValue(closure, 'closure', depth);
  }

  /** Follows `node`'s value up the tree until it reaches a sink. */
  private visitValue(start: TSESTree.Node, carried: Carried, depth: number): void {
    let node: TSESTree.Node = start;
    for (;;) {
      const parent = node.parent;
      if (!parent) return;
      switch (parent.type) {
        // `await f` of a value that is not a promise is the value itself; a spread (`[...f]`)
        // copies its elements, not the value, so it is not followed.
        case AST_NODE_TYPES.TSAsExpression:
        case AST_NODE_TYPES.TSNonNullExpression:
        case AST_NODE_TYPES.TSSatisfiesExpression:
        case AST_NODE_TYPES.TSTypeAssertion:
        case AST_NODE_TYPES.ChainExpression:
        case AST_NODE_TYPES.ArrayExpression:
        case AST_NODE_TYPES.AwaitExpression:
          node = parent;
          continue;
        case AST_NODE_TYPES.LogicalExpression:
          // `f && x` is `x` whenever `f` is an object; `f ?? x` and `f || x` are `f`.
          if (parent.operator === '&&' && parent.left === node) return;
          node = parent;
          continue;
        case AST_NODE_TYPES.ConditionalExpression:
          if (parent.test === node) return;
          node = parent;
          continue;
        case AST_NODE_TYPES.SequenceExpression:
          if (parent.expressions.at(-1) !== node) return;
          node = parent;
          continue;
        case AST_NODE_TYPES.Property:
          // `{ f }`, `{ key: f }`, `{ get f() {…} }`: the literal holds the value.
          if (parent.value !== node || parent.parent.type !== AST_NODE_TYPES.ObjectExpression) return;
          node = parent.parent;
          continue;
        case AST_NODE_TYPES.MemberExpression:
          if (parent.object === node && carried === 'value' && node === start) this.visitMethodCall(parent);
          return;
        case AST_NODE_TYPES.ReturnStatement:
        case AST_NODE_TYPES.ArrowFunctionExpression: {
          if (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body !== node) return;
          const fn = parent.type === AST_NODE_TYPES.ArrowFunctionExpression ? parent : ownerOf(parent);
          if (fn === this.owner) {
            this.add(carried === 'value' ? 'returned' : 'closureReturned', node, 'return');
            return;
          }
          // Returned from a function called on the spot: the value goes on from the call.
          const call = isFunctionNode(fn) ? immediateCallOf(fn) : undefined;
          if (!call) return;
          node = call;
          continue;
        }
        case AST_NODE_TYPES.YieldExpression:
          if (ownerOf(parent) === this.owner) this.add(carried === 'value' ? 'yielded' : 'closureReturned', node, 'yield');
          return;
        case AST_NODE_TYPES.AssignmentExpression:
          if (parent.right === node && (parent.operator === '=' || parent.operator === '||=' || parent.operator === '??=')) {
            this.visitStore(parent.left, node, carried, depth);
          }
          return;
        case AST_NODE_TYPES.VariableDeclarator:
          if (parent.init === node && parent.id.type === AST_NODE_TYPES.Identifier) this.visitStore(parent.id, node, carried, depth);
          return;
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
          if (carried === 'closure' && parent.type === AST_NODE_TYPES.CallExpression && parent.callee !== node) {
            this.visitCallbackPass(parent, node);
          }
          return;
        case AST_NODE_TYPES.ExportDefaultDeclaration:
          if (carried === 'closure') this.add('closureExported', node, 'default');
          return;
        default:
          return;
      }
    }
  }

  /** `x = value`, `obj.field = value`, `const alias = value`. */
  private visitStore(target: TSESTree.Node, value: TSESTree.Node, carried: Carried, depth: number): void {
    const left = skipTypeWrappers(target);
    if (left.type === AST_NODE_TYPES.Identifier) {
      const variable = this.variableOf(left);
      // An undeclared global outlives everything.
      if (variable && this.isInner(variable)) {
        this.visitVariable(variable, carried, depth + 1);
        return;
      }
      this.add(carried === 'value' ? 'assignedToOuter' : 'closureStored', value, left.name);
      return;
    }
    if (left.type !== AST_NODE_TYPES.MemberExpression) return;
    // A field of an object literal made in the scope is a container: follow the object instead.
    // Any other object (a parameter, a registry a local variable points to) may outlive it.
    const root = rootObject(left);
    if (root.type === AST_NODE_TYPES.Identifier) {
      const variable = this.variableOf(root);
      if (variable && this.isInner(variable) && isLiteralLocal(variable)) {
        this.visitVariable(variable, carried, depth + 1);
        return;
      }
    }
    this.add(carried === 'value' ? 'storedInField' : 'closureStored', value, this.text(left));
  }

  /** A closure given as an argument: an escape only when the callee calls it later. */
  private visitCallbackPass(call: TSESTree.CallExpression, closure: TSESTree.Node): void {
    const callee = skipTypeWrappers(call.callee);
    const name = calleeName(callee);
    if (name === undefined) return;
    const calleeText = this.text(callee);
    if (TIMER_FUNCTIONS.has(name) && isTimerCallee(callee)) {
      if (this.timerEndsInScope(call) || this.insideAwaitedExecutor(call)) return;
      this.add('closureTimer', closure, calleeText, calleeText);
      return;
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
    if (LISTENER_METHODS.has(name)) {
      // A listener on the resource itself, or on an emitter the scope also binds with `using`,
      // stops with it; one removed again in the scope, or registered inside an awaited
      // `new Promise` executor, ran while the scope was live.
      if (
        this.rootsAtCarrier(callee.object) ||
        this.rootsAtScopedUsing(callee.object) ||
        this.listenerRemovedInScope(closure) ||
        this.insideAwaitedExecutor(call)
      ) {
        return;
      }
      this.add('closureListener', closure, calleeText, calleeText);
      return;
    }
    if (CONTINUATION_METHODS.has(name) && !this.isAwaitedInScope(call, 0)) {
      this.add('closureContinuation', closure, `.${name}()`, calleeText);
    }
  }

  /** `return f.readAsync()` / `return f.read().then(…)` from the owner, not awaited. */
  private visitMethodCall(member: TSESTree.MemberExpression): void {
    const call = member.parent;
    if (call.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return;
    let node: TSESTree.Node = call;
    let chained = false;
    for (;;) {
      const parent: TSESTree.Node | undefined = node.parent;
      if (!parent) return;
      if (isContinuationCall(parent, node)) {
        node = parent.parent as TSESTree.CallExpression;
        chained = true;
        continue;
      }
      if (
        parent.type === AST_NODE_TYPES.TSAsExpression ||
        parent.type === AST_NODE_TYPES.TSNonNullExpression ||
        parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
        parent.type === AST_NODE_TYPES.ChainExpression
      ) {
        node = parent;
        continue;
      }
      const returned =
        (parent.type === AST_NODE_TYPES.ReturnStatement && ownerOf(parent) === this.owner) ||
        (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === node && parent === this.owner);
      if (!returned) return;
      break;
    }
    const method = staticPropertyName(member.property, member.computed);
    const promise = this.types ? this.types.isThenable(node) : chained || (method !== null && ASYNC_METHOD_NAME.test(method));
    if (promise) this.add('returnedPromise', node, this.text(member));
  }

  /**
   * True when the promise `node` evaluates to is awaited before the scope ends: `await p`,
   * `await p.then(…)`, `await Promise.all([p])`, or a local variable holding it that is awaited.
   * A promise handed to an unknown function, or returned from a callback, is taken as awaited
   * (nothing says it is not).
   */
  private isAwaitedInScope(start: TSESTree.Node, depth: number): boolean {
    let node = start;
    for (;;) {
      const parent = node.parent;
      if (!parent || depth > MAX_DEPTH) return true;
      if (isContinuationCall(parent, node)) {
        node = parent.parent as TSESTree.CallExpression;
        continue;
      }
      switch (parent.type) {
        case AST_NODE_TYPES.TSAsExpression:
        case AST_NODE_TYPES.TSNonNullExpression:
        case AST_NODE_TYPES.TSSatisfiesExpression:
        case AST_NODE_TYPES.ChainExpression:
        case AST_NODE_TYPES.ArrayExpression:
          node = parent;
          continue;
        case AST_NODE_TYPES.AwaitExpression:
          return true;
        case AST_NODE_TYPES.CallExpression: {
          const callee = skipTypeWrappers(parent.callee);
          if (
            callee.type === AST_NODE_TYPES.MemberExpression &&
            isIdentifier(callee.object, 'Promise') &&
            PROMISE_COMBINATORS.has(calleeName(callee) ?? '')
          ) {
            node = parent;
            continue;
          }
          return parent.callee !== node;
        }
        case AST_NODE_TYPES.ExpressionStatement:
        case AST_NODE_TYPES.UnaryExpression:
          return false;
        case AST_NODE_TYPES.ReturnStatement:
          return ownerOf(parent) !== this.owner;
        case AST_NODE_TYPES.ArrowFunctionExpression:
          return parent !== this.owner;
        case AST_NODE_TYPES.VariableDeclarator: {
          if (parent.init !== node || parent.id.type !== AST_NODE_TYPES.Identifier) return true;
          const [variable] = this.sourceCode.getDeclaredVariables(parent);
          if (!variable) return true;
          return variable.references.some(
            (reference) => reference.isRead() && this.isAwaitedInScope(reference.identifier as TSESTree.Node, depth + 1),
          );
        }
        default:
          return true;
      }
    }
  }

  /** `const t = setTimeout(cb)` cleared in the scope, or `using t = setInterval(cb)` (disposed first). */
  private timerEndsInScope(call: TSESTree.CallExpression): boolean {
    const parent = call.parent;
    if (parent.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== call) return false;
    const declaration = parent.parent as TSESTree.VariableDeclaration;
    if (declaration.kind === 'using' || declaration.kind === 'await using') return true;
    const [variable] = this.sourceCode.getDeclaredVariables(parent);
    return variable !== undefined && variable.references.some((reference) => isArgumentOfCall(reference.identifier as TSESTree.Node, TIMER_CLEARS));
  }

  private listenerRemovedInScope(closure: TSESTree.Node): boolean {
    // `const onData = () => f.x(); emitter.on('data', onData); … emitter.off('data', onData)`:
    // the registration reads the variable, so the closure reached here is that identifier.
    if (closure.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = this.variableOf(closure);
    return variable !== undefined && variable.references.some((reference) => isArgumentOfCall(reference.identifier as TSESTree.Node, LISTENER_REMOVALS));
  }

  /** Inside the executor of a `new Promise(…)` that the scope awaits: its callbacks ran by then. */
  private insideAwaitedExecutor(node: TSESTree.Node): boolean {
    for (let current = node.parent; current && current !== this.owner; current = current.parent) {
      const parent = current.parent;
      if (
        isFunctionNode(current) &&
        parent?.type === AST_NODE_TYPES.NewExpression &&
        parent.arguments[0] === current &&
        isIdentifier(parent.callee, 'Promise')
      ) {
        return this.isAwaitedInScope(parent, 0);
      }
    }
    return false;
  }

  private rootsAtCarrier(object: TSESTree.Node): boolean {
    const root = rootObject(object);
    if (root.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = this.variableOf(root);
    return variable !== undefined && this.carriers.has(variable);
  }

  /** `server.on(…)` where `server` is bound with `using` inside this scope: disposed by its end. */
  private rootsAtScopedUsing(object: TSESTree.Node): boolean {
    const root = rootObject(object);
    if (root.type !== AST_NODE_TYPES.Identifier) return false;
    const definition = this.variableOf(root)?.defs[0];
    if (definition?.node.type !== AST_NODE_TYPES.VariableDeclarator) return false;
    const declaration = definition.node.parent as TSESTree.VariableDeclaration;
    return (declaration.kind === 'using' || declaration.kind === 'await using') && within(declaration, this.scopeNode);
  }

  /** Declared inside the disposing scope, so it dies with the binding (unless it escapes too). */
  private isInner(variable: TSESLint.Scope.Variable): boolean {
    const block = variable.scope.block as TSESTree.Node;
    if (within(block, this.scopeNode)) return true;
    // A `var` (or a function's parameter) in the function whose body is the scope.
    return this.scopeNode.parent === block && isFunctionNode(block) && block.body === this.scopeNode;
  }

  private variableOf(identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
    for (let scope: TSESLint.Scope.Scope | null = this.sourceCode.getScope(identifier); scope; scope = scope.upper) {
      const variable = scope.set.get(identifier.name);
      if (variable) return variable;
    }
    return undefined;
  }

  private text(node: TSESTree.Node): string {
    const text = this.sourceCode.getText(node);
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  }
}

/** A variable declared once, from an object or array literal. */
function isLiteralLocal(variable: TSESLint.Scope.Variable): boolean {
  const [definition, ...others] = variable.defs;
  if (!definition || others.length > 0 || definition.node.type !== AST_NODE_TYPES.VariableDeclarator) return false;
  const init = definition.node.init && skipTypeWrappers(definition.node.init);
  return init?.type === AST_NODE_TYPES.ObjectExpression || init?.type === AST_NODE_TYPES.ArrayExpression;
}

function within(inner: TSESTree.Node, outer: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

function isIdentifier(node: TSESTree.Node, name: string): boolean {
  const bare = skipTypeWrappers(node);
  return bare.type === AST_NODE_TYPES.Identifier && bare.name === name;
}

/** `f` for `f(…)`, `method` for `a.b.method(…)`. */
function calleeName(callee: TSESTree.Node): string | undefined {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression) return staticPropertyName(callee.property, callee.computed) ?? undefined;
  return undefined;
}

/** `setTimeout(…)`, `globalThis.setTimeout(…)`, `timers.setTimeout(…)`; not `this.clock.setTimeout`. */
function isTimerCallee(callee: TSESTree.Node): boolean {
  if (callee.type === AST_NODE_TYPES.Identifier) return true;
  return callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier && TIMER_HOLDERS.has(callee.object.name);
}

/** `node.then(…)` with `node` as the object: the call that continues the chain. */
function isContinuationCall(parent: TSESTree.Node, node: TSESTree.Node): parent is TSESTree.MemberExpression {
  if (parent.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return false;
  const call = parent.parent;
  return call.type === AST_NODE_TYPES.CallExpression && call.callee === parent && CONTINUATION_METHODS.has(calleeName(parent) ?? '');
}

function isArgumentOfCall(identifier: TSESTree.Node, names: ReadonlySet<string>): boolean {
  const call = identifier.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === identifier) return false;
  return names.has(calleeName(skipTypeWrappers(call.callee)) ?? '');
}

/** `(() => …)()` / `(function () {…}).call(this)`: the call that runs `fn` on the spot. */
function immediateCallOf(fn: FunctionNode): TSESTree.CallExpression | undefined {
  let node: TSESTree.Node = fn;
  while (node.parent && (node.parent.type === AST_NODE_TYPES.TSAsExpression || node.parent.type === AST_NODE_TYPES.TSNonNullExpression)) node = node.parent;
  const parent = node.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === node) return parent;
  if (
    parent?.type === AST_NODE_TYPES.MemberExpression &&
    parent.object === node &&
    (calleeName(parent) === 'call' || calleeName(parent) === 'apply') &&
    parent.parent.type === AST_NODE_TYPES.CallExpression &&
    parent.parent.callee === parent
  ) {
    return parent.parent;
  }
  return undefined;
}

/** `a` for `a.b.c`, `this` for `this.x`. */
function rootObject(node: TSESTree.Node): TSESTree.Node {
  let current = skipTypeWrappers(node);
  while (current.type === AST_NODE_TYPES.MemberExpression) current = skipTypeWrappers(current.object);
  return current;
}

/** The name a `using` initializer is made by: `pool.connect` for `await pool.connect()`, `Pool` for `new Pool()`. */
export function initializerNames(init: TSESTree.Expression | null): string[] {
  if (!init) return [];
  let node = skipTypeWrappers(init);
  while (node.type === AST_NODE_TYPES.AwaitExpression) node = skipTypeWrappers(node.argument);
  if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return [];
  return dottedNames(skipTypeWrappers(node.callee));
}

/** `a.b.c` → `['a.b.c', 'c']`; an identifier → its name. */
export function dottedNames(node: TSESTree.Node): string[] {
  const parts: string[] = [];
  let current = node;
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    const name = staticPropertyName(current.property, current.computed);
    if (name === null) return [];
    parts.unshift(name);
    current = skipTypeWrappers(current.object);
  }
  if (current.type === AST_NODE_TYPES.Identifier) parts.unshift(current.name);
  else if (current.type === AST_NODE_TYPES.ThisExpression) parts.unshift('this');
  else if (parts.length === 0) return [];
  const last = parts.at(-1);
  return parts.length > 1 && last !== undefined ? [parts.join('.'), last] : parts;
}
