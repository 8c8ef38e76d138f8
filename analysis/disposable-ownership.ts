import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, ASTUtils } from '@typescript-eslint/utils';

import { childKeyOf } from './try-finally-ast-shape.js';
import { analyzeTryFinallyCleanups, type AstNode, type SourceComment } from './try-finally-cleanup.js';
import { calleeName, wellKnownDisposeSymbol } from './disposable-values.js';
import { childNodes } from './ast-children.js';

/**
 * What becomes of a disposable value after it is created: handed to an owner, disposed on every
 * path, disposed on some paths, or nothing (it floats). Ownership follows IDisposableAnalyzers'
 * rules: whoever receives the value (a caller through `return`, a `using` scope, a stack, another
 * function, a field its class disposes) is responsible for it from then on.
 */

export interface OwnershipOptions {
  /** A value passed to a function is the callee's to dispose (false: only stacks and `using` take it). */
  readonly callsTakeOwnership: boolean;
  /** Functions that only look at a value (`expect`, `console.log`, `assert.ok`). */
  readonly nonOwningFunctions: ReadonlySet<string>;
}

export type Fate =
  | { kind: 'owned' }
  | { kind: 'disposed' }
  | { kind: 'disposedOnSomePaths'; at: TSESTree.Node }
  /** Bound to a variable and left alone; `captured` / `reassigned` forbid a `using` rewrite. */
  | { kind: 'floating'; variable: TSESLint.Scope.Variable | undefined; captured: boolean; reassigned: boolean }
  /** Created and dropped in the same expression statement. */
  | { kind: 'discarded' }
  /** Stored in `this.<field>` of a class that never disposes the field. */
  | { kind: 'fieldNotDisposed'; field: string; className: string };

/** Methods that dispose their receiver (`move()` hands everything to the stack it returns). */
const DISPOSING_METHODS = new Set(['dispose', 'disposeAsync', 'close', 'move']);
/** A class's own disposer: what disposes the fields it owns. */
const DISPOSER_METHODS = new Set(['dispose', 'disposeAsync', 'close']);
/** Stack methods that take ownership of their first argument. */
const OWNING_STACK_METHODS = new Set(['use', 'adopt']);

type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** A `this.<field>` in a class body, and whether it is inside the class's own disposer. */
interface FieldAccess {
  readonly node: TSESTree.MemberExpression;
  readonly inDisposer: boolean;
}

/** One read of the value: a variable reference or a `this.field` access. */
type Use = { kind: 'owned' } | { kind: 'disposal'; call: TSESTree.Node } | { kind: 'neutral' };

export class DisposableOwnership {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #options: OwnershipOptions;
  /** The file's cleanup try/finally sites as `prefer-using`'s detector reads them, on demand. */
  #cleanupSubjects: Map<TSESTree.Node, Set<string>> | undefined;
  readonly #tries: TSESTree.TryStatement[];
  readonly #thisMembers: readonly TSESTree.MemberExpression[];
  #fieldIndex: Map<ClassNode, Map<string, FieldAccess[]>> | undefined;

  /**
   * @param tries the file's try statements with a `finally`
   * @param thisMembers the file's `this.<member>` expressions
   */
  constructor(
    sourceCode: Readonly<TSESLint.SourceCode>,
    options: OwnershipOptions,
    tries: TSESTree.TryStatement[],
    thisMembers: readonly TSESTree.MemberExpression[],
  ) {
    this.#sourceCode = sourceCode;
    this.#options = options;
    this.#tries = tries;
    this.#thisMembers = thisMembers;
  }

  /** The fate of the value `created` makes. */
  fateOf(created: TSESTree.Expression): Fate {
    const { outer, parent } = climb(created);
    switch (parent.type) {
      case AST_NODE_TYPES.ExpressionStatement:
        return { kind: 'discarded' };
      case AST_NODE_TYPES.VariableDeclarator: {
        if (parent.init !== outer) return { kind: 'owned' };
        const declaration = parent.parent;
        if (declaration.kind === 'using' || declaration.kind === 'await using') return { kind: 'owned' };
        if (parent.id.type !== AST_NODE_TYPES.Identifier) return { kind: 'owned' };
        if (declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return { kind: 'owned' };
        const variable = this.#sourceCode.getDeclaredVariables(parent).find((candidate) => candidate.name === (parent.id as TSESTree.Identifier).name);
        return variable ? this.#fateOfVariable(variable, new Set()) : { kind: 'owned' };
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (parent.right !== outer) return { kind: 'owned' };
        return this.#fateOfStore(parent.left, created);
      }
      case AST_NODE_TYPES.PropertyDefinition: {
        if (parent.value !== outer || parent.static) return { kind: 'owned' };
        const field = fieldName(parent.key, parent.computed);
        const classNode = parent.parent.parent;
        return field === undefined ? { kind: 'owned' } : this.#fateOfField(classNode, field);
      }
      default: {
        const use = this.#useOf(outer, parent);
        // Given to a function that does not take it (`expect(new Pool())`): nobody else can dispose it.
        const droppedByCall = use.kind === 'neutral' && isCallOrNew(parent) && parent.callee !== outer;
        return droppedByCall ? { kind: 'discarded' } : use.kind === 'disposal' ? { kind: 'disposed' } : { kind: 'owned' };
      }
    }
  }

  /** `target = value`: a local variable is followed, a field of `this` asks its class, anything else owns it. */
  #fateOfStore(target: TSESTree.Node, value: TSESTree.Node): Fate {
    if (target.type === AST_NODE_TYPES.Identifier) {
      const variable = ASTUtils.findVariable(this.#sourceCode.getScope(target), target);
      // A variable of an enclosing function (or the module) keeps the value beyond this call.
      if (!variable || variable.defs.length === 0 || functionOf(variable.scope.block) !== functionOf(value)) return { kind: 'owned' };
      return this.#fateOfVariable(variable, new Set());
    }
    if (target.type === AST_NODE_TYPES.MemberExpression && target.object.type === AST_NODE_TYPES.ThisExpression) {
      const field = fieldName(target.property, target.computed);
      const classNode = classOfThis(target);
      if (field !== undefined && classNode) return this.#fateOfField(classNode, field);
    }
    return { kind: 'owned' };
  }

  #fateOfVariable(variable: TSESLint.Scope.Variable, seen: Set<TSESLint.Scope.Variable>): Fate {
    seen.add(variable);
    const home = functionOf(variable.scope.block);
    let captured = false;
    let reassigned = false;
    const disposals: TSESTree.Node[] = [];
    for (const reference of variable.references) {
      const identifier = reference.identifier as TSESTree.Identifier;
      if (reference.isWrite()) {
        if (!reference.init) reassigned = true;
        if (!reference.isRead()) continue;
      }
      const inClosure = functionOf(identifier) !== home;
      if (inClosure) captured = true;
      if (identifier.parent.type === AST_NODE_TYPES.ExportSpecifier) return { kind: 'owned' };
      const { outer, parent } = climb(identifier);
      const use = this.#useOf(outer, parent, seen);
      if (use.kind === 'owned') return { kind: 'owned' };
      if (use.kind === 'disposal') {
        // A closure that disposes it (`stack.defer(() => x.close())`, `afterEach(() => x.close())`)
        // is the owner: whoever runs the closure disposes the value.
        if (inClosure) return { kind: 'owned' };
        disposals.push(use.call);
      }
    }
    if (disposals.length > 0) {
      const name = variable.name;
      const everyPath = disposals.find((call) => this.#disposesOnEveryPath(call, name, variable));
      return everyPath ? { kind: 'disposed' } : { kind: 'disposedOnSomePaths', at: disposals[0]! };
    }
    return { kind: 'floating', variable, captured, reassigned };
  }

  /** `this.<field>` of `classNode`: handed off when some method disposes the field or hands it on. */
  #fateOfField(classNode: ClassNode, field: string): Fate {
    for (const { node, inDisposer } of this.#fieldAccesses(classNode).get(field) ?? []) {
      const parent = node.parent;
      if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === node && parent.operator === '=') continue;
      // Whatever the class's own disposer does with the field is how the field is disposed.
      if (inDisposer) return { kind: 'owned' };
      const { outer, parent: context } = climb(node);
      if (this.#useOf(outer, context).kind !== 'neutral') return { kind: 'owned' };
    }
    // A base class declared elsewhere may dispose what its subclass stores: nothing to prove.
    if (classNode.superClass) return { kind: 'owned' };
    return { kind: 'fieldNotDisposed', field, className: classNode.id?.name ?? 'this class' };
  }

  /**
   * Every `this.<field>` of a class body (not of nested classes), by field. Grouped once, at the
   * first question, from the `this.<member>` nodes ESLint's traversal handed over.
   */
  #fieldAccesses(classNode: ClassNode): ReadonlyMap<string, FieldAccess[]> {
    if (!this.#fieldIndex) {
      this.#fieldIndex = new Map();
      for (const node of this.#thisMembers) {
        const field = fieldName(node.property, node.computed);
        const owner = field === undefined ? undefined : enclosingClassMember(node);
        if (!owner) continue;
        const byField = this.#fieldIndex.get(owner.classNode) ?? new Map<string, FieldAccess[]>();
        const list = byField.get(field!) ?? [];
        list.push({ node, inDisposer: owner.isDisposer });
        byField.set(field!, list);
        this.#fieldIndex.set(owner.classNode, byField);
      }
    }
    return this.#fieldIndex.get(classNode) ?? new Map();
  }

  /** What the expression `outer` (the value, through wrappers) does in its `parent`. */
  #useOf(outer: TSESTree.Node, parent: TSESTree.Node, seen?: Set<TSESLint.Scope.Variable>): Use {
    switch (parent.type) {
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.ExportDefaultDeclaration:
      case AST_NODE_TYPES.AssignmentPattern:
      case AST_NODE_TYPES.ThrowStatement:
        return { kind: 'owned' };
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent.body === outer ? { kind: 'owned' } : { kind: 'neutral' };
      case AST_NODE_TYPES.Property:
        return parent.value === outer ? { kind: 'owned' } : { kind: 'neutral' };
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        if (parent.callee === outer) return { kind: 'neutral' };
        return this.#callTakes(parent) ? { kind: 'owned' } : { kind: 'neutral' };
      case AST_NODE_TYPES.VariableDeclarator: {
        if (parent.init !== outer) return { kind: 'neutral' };
        const declaration = parent.parent;
        if (declaration.kind === 'using' || declaration.kind === 'await using') return { kind: 'owned' };
        if (parent.id.type !== AST_NODE_TYPES.Identifier || !seen) return { kind: 'owned' };
        if (declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration) return { kind: 'owned' };
        const alias = this.#sourceCode.getDeclaredVariables(parent).find((candidate) => candidate.name === (parent.id as TSESTree.Identifier).name);
        return alias && !seen.has(alias) ? this.#aliasUse(this.#fateOfVariable(alias, seen)) : { kind: 'neutral' };
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (parent.right !== outer) return { kind: 'neutral' };
        if (parent.left.type === AST_NODE_TYPES.Identifier && seen) {
          const target = ASTUtils.findVariable(this.#sourceCode.getScope(parent.left), parent.left);
          if (!target || target.defs.length === 0 || functionOf(target.scope.block) !== functionOf(parent)) return { kind: 'owned' };
          return seen.has(target) ? { kind: 'neutral' } : this.#aliasUse(this.#fateOfVariable(target, seen));
        }
        return this.#aliasUse(this.#fateOfStore(parent.left, parent));
      }
      case AST_NODE_TYPES.MemberExpression: {
        if (parent.object !== outer) return { kind: 'neutral' };
        const call = parent.parent;
        if (call.type !== AST_NODE_TYPES.CallExpression || call.callee !== parent) return { kind: 'neutral' };
        const method = parent.computed ? wellKnownDisposeSymbol(parent.property) : calleeName(parent);
        if (method === 'move') return { kind: 'owned' };
        if (method !== undefined && (method === 'asyncDispose' || DISPOSING_METHODS.has(method))) return { kind: 'disposal', call };
        return { kind: 'neutral' };
      }
      default:
        return { kind: 'neutral' };
    }
  }

  /** An alias or a store counts as what becomes of it, except that its dispose anywhere disposes. */
  #aliasUse(fate: Fate): Use {
    if (fate.kind === 'owned' || fate.kind === 'disposed' || fate.kind === 'disposedOnSomePaths') return { kind: 'owned' };
    return { kind: 'neutral' };
  }

  #callTakes(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    const callee = call.callee;
    const name = calleeName(callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && name !== undefined && OWNING_STACK_METHODS.has(name)) return true;
    if (!this.#options.callsTakeOwnership) return false;
    if (name !== undefined && this.#options.nonOwningFunctions.has(name)) return false;
    const text = dottedName(callee);
    return text === undefined || !this.#options.nonOwningFunctions.has(text);
  }

  /**
   * The disposal runs on every path from the declaration to the end of its function, leaving
   * exceptions aside: it is a cleanup of a try/finally `prefer-using`'s detector recognises, or a
   * statement no condition, loop, catch or earlier `return` can skip.
   */
  #disposesOnEveryPath(call: TSESTree.Node, name: string, variable: TSESLint.Scope.Variable): boolean {
    const home = variable.scope.block;
    const declaredAt = variable.defs[0]?.node.range[1] ?? home.range[0];
    let guardedByFinally: TSESTree.TryStatement | undefined;
    for (let child: TSESTree.Node = call, node = call.parent; node && node !== home; child = node, node = node.parent) {
      switch (node.type) {
        case AST_NODE_TYPES.TryStatement:
          if (node.finalizer === child) {
            if (this.#cleanupSubjectsOf(node).has(name)) return true;
            guardedByFinally ??= node;
          } else if (node.handler === child) return false;
          break;
        case AST_NODE_TYPES.IfStatement:
          if (node.test === child || node.consequent !== child || node.alternate || !checksPresence(node.test, name)) return false;
          break;
        case AST_NODE_TYPES.LogicalExpression:
          if (node.right === child && !(node.operator === '&&' && checksPresence(node.left, name))) return false;
          break;
        case AST_NODE_TYPES.ConditionalExpression:
        case AST_NODE_TYPES.SwitchCase:
        case AST_NODE_TYPES.CatchClause:
        case AST_NODE_TYPES.ForStatement:
        case AST_NODE_TYPES.ForInStatement:
        case AST_NODE_TYPES.ForOfStatement:
        case AST_NODE_TYPES.WhileStatement:
        case AST_NODE_TYPES.DoWhileStatement:
        case AST_NODE_TYPES.FunctionDeclaration:
        case AST_NODE_TYPES.FunctionExpression:
        case AST_NODE_TYPES.ArrowFunctionExpression:
          return false;
        default:
          break;
      }
    }
    // A `return` between the declaration and the disposal leaves without it, unless the disposal
    // is in a `finally` around that return.
    const fn = functionOf(call);
    return !returnsBetween(fn, declaredAt, call.range[0]).some(
      (ret) => !(guardedByFinally && ret.range[0] >= guardedByFinally.block.range[0] && ret.range[1] <= guardedByFinally.block.range[1]),
    );
  }

  /** The names the detector registers as cleanups of a try/finally site (empty when it is not one). */
  #cleanupSubjectsOf(tryStatement: TSESTree.TryStatement): ReadonlySet<string> {
    if (!this.#cleanupSubjects) {
      this.#cleanupSubjects = new Map();
      const program = this.#sourceCode.ast as unknown as AstNode;
      const sites = this.#tries.flatMap((node) => {
        const parentKey = childKeyOf(node.parent as unknown as AstNode, node as unknown as AstNode);
        if (parentKey === null) return [];
        return [{ node: node as unknown as AstNode, parent: node.parent as unknown as AstNode, parentKey, ancestors: this.#sourceCode.getAncestors(node) as unknown as AstNode[] }];
      });
      const analysis = analyzeTryFinallyCleanups(program, {
        allSites: true,
        typescript: true,
        comments: this.#sourceCode.getAllComments() as unknown as SourceComment[],
        tries: sites,
      });
      for (const [node, conversion] of analysis.conversions) {
        const subjects = new Set<string>();
        for (const registration of conversion.registrations) if (registration.subject) subjects.add(registration.subject);
        this.#cleanupSubjects.set(node as unknown as TSESTree.Node, subjects);
      }
    }
    return this.#cleanupSubjects.get(tryStatement) ?? new Set();
  }
}

/** Up from a value through what does not change which value it is: `await`, casts, `?.`, `(a, b)`, `c ? a : b`, `a ?? b`. */
export function climb(node: TSESTree.Node): { outer: TSESTree.Node; parent: TSESTree.Node } {
  let outer = node;
  for (;;) {
    const parent = outer.parent;
    if (!parent) return { outer, parent: outer };
    const transparent =
      parent.type === AST_NODE_TYPES.AwaitExpression ||
      parent.type === AST_NODE_TYPES.TSAsExpression ||
      parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      parent.type === AST_NODE_TYPES.ChainExpression ||
      (parent.type === AST_NODE_TYPES.SequenceExpression && parent.expressions.at(-1) === outer) ||
      (parent.type === AST_NODE_TYPES.ConditionalExpression && parent.test !== outer) ||
      (parent.type === AST_NODE_TYPES.LogicalExpression && (parent.right === outer || parent.operator !== '&&'));
    if (!transparent) return { outer, parent };
    outer = parent;
  }
}

const isCallOrNew = (node: TSESTree.Node): node is TSESTree.CallExpression | TSESTree.NewExpression =>
  node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression;

type FunctionOrProgram = TSESTree.FunctionLike | TSESTree.Program;

function functionOf(node: TSESTree.Node): FunctionOrProgram {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    if (
      current.type === AST_NODE_TYPES.FunctionDeclaration ||
      current.type === AST_NODE_TYPES.FunctionExpression ||
      current.type === AST_NODE_TYPES.ArrowFunctionExpression ||
      current.type === AST_NODE_TYPES.Program
    ) {
      return current as FunctionOrProgram;
    }
    // A class field initializer or static block runs apart from the code around the class.
    if (current.type === AST_NODE_TYPES.PropertyDefinition || current.type === AST_NODE_TYPES.StaticBlock) return current as unknown as FunctionOrProgram;
  }
  throw new Error('node outside a Program');
}

/** The class whose instance `this` is at `node`: through arrows, up to the method or field. */
function classOfThis(node: TSESTree.Node): ClassNode | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.FunctionExpression) {
      const owner = current.parent;
      return owner.type === AST_NODE_TYPES.MethodDefinition && !owner.static ? owner.parent.parent : undefined;
    }
    if (current.type === AST_NODE_TYPES.FunctionDeclaration) return undefined;
    if (current.type === AST_NODE_TYPES.PropertyDefinition) return current.static ? undefined : current.parent.parent;
    if (current.type === AST_NODE_TYPES.StaticBlock) return undefined;
  }
  return undefined;
}

/** The class member (method, field, static block) a node sits in, through nested functions but not nested classes. */
function enclosingClassMember(node: TSESTree.Node): { classNode: ClassNode; isDisposer: boolean } | undefined {
  let child: TSESTree.Node = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type !== AST_NODE_TYPES.ClassBody) continue;
    const isDisposer =
      (child.type === AST_NODE_TYPES.MethodDefinition || child.type === AST_NODE_TYPES.PropertyDefinition) && isDisposerKey(child.key, child.computed);
    return { classNode: current.parent, isDisposer };
  }
  return undefined;
}

function fieldName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  if (!computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') return key.value;
  return undefined;
}

function isDisposerKey(key: TSESTree.Node, computed: boolean): boolean {
  if (computed) return wellKnownDisposeSymbol(key) !== undefined;
  const name = fieldName(key, false);
  return name !== undefined && DISPOSER_METHODS.has(name);
}

/** `x`, `x != null`, `x !== undefined`, `x?.…` tested: the test passes only when `name` holds a value. */
function checksPresence(test: TSESTree.Node, name: string): boolean {
  if (test.type === AST_NODE_TYPES.Identifier) return test.name === name;
  if (test.type === AST_NODE_TYPES.BinaryExpression && (test.operator === '!=' || test.operator === '!==')) {
    return (test.left.type === AST_NODE_TYPES.Identifier && test.left.name === name) || (test.right.type === AST_NODE_TYPES.Identifier && test.right.name === name);
  }
  if (test.type === AST_NODE_TYPES.LogicalExpression && test.operator === '&&') return checksPresence(test.left, name) || checksPresence(test.right, name);
  return false;
}

/** `a.b.c` of a callee, for the names a user lists (`console.log`, `assert.ok`). */
function dottedName(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
    const object = dottedName(node.object);
    return object === undefined ? undefined : `${object}.${node.property.name}`;
  }
  return undefined;
}

const returnCache = new WeakMap<object, TSESTree.ReturnStatement[]>();

/** `return` statements of `fn` itself (not of nested functions) that lie inside (from, to). */
function returnsBetween(fn: FunctionOrProgram, from: number, to: number): TSESTree.ReturnStatement[] {
  let all = returnCache.get(fn);
  if (!all) {
    all = [];
    const found = all;
    const visit = (node: TSESTree.Node): void => {
      if (node.type === AST_NODE_TYPES.ReturnStatement) found.push(node);
      for (const child of childNodes(node)) {
        if (
          child.type === AST_NODE_TYPES.FunctionDeclaration ||
          child.type === AST_NODE_TYPES.FunctionExpression ||
          child.type === AST_NODE_TYPES.ArrowFunctionExpression ||
          child.type === AST_NODE_TYPES.ClassBody
        ) {
          continue;
        }
        visit(child);
      }
    };
    for (const child of childNodes(fn)) visit(child);
    returnCache.set(fn, all);
  }
  // A return that holds the disposal (`return stack.disposeAsync()`) disposes before it leaves.
  return all.filter((ret) => ret.range[0] > from && ret.range[1] <= to);
}

