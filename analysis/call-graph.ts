import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { FunctionNode, InstanceRef } from './instance-identity.js';
import { compiledPrivateAccess, InstanceResolver, isFunctionNode, makeRef, memberName, pathThrough, substituteRoot } from './instance-identity.js';
import { isNode } from './ast-children.js';

/**
 * The in-file call graph: which functions of this file a call can reach, and with which
 * arguments. Built by one walk of the file, once per file (a WeakMap keyed by the Program, the
 * way eslint-plugin-regexp shares its parses), and shared by every rule that asks.
 *
 * It knows functions, calls and values, nothing about locks, stacks or output streams:
 *
 * - `getCallGraph(sourceCode)`: the file's graph.
 * - `graph.calls`: every call expression, in source order.
 * - `graph.enclosingFunction(node)`: the innermost function around a node (the Program at top level).
 * - `graph.calleeOf(call, bindings?)`: the in-file function a call runs (`f()`, `this.m()`,
 *   `this.#m()`, `obj.m()`, `f.call(self, …)`, an IIFE, or a parameter the caller bound to a
 *   function through `bindings`), else undefined.
 * - `graph.callersOf(fn)`: the calls of the file that run `fn` (the reverse of `calleeOf`).
 * - `graph.callArguments(call)`: the arguments the callee's parameters receive (`f.call(self, a)` → `[a]`).
 * - `graph.argumentBindings(fn, call, outer?)`: what `fn`'s parameters are bound to at that call:
 *   values (as instance paths of the caller, substituted through `outer` for chains) and functions.
 * - `graph.reach(call, visit, options)`: walks the functions a call reaches, depth first, with the
 *   chain of function names and the bindings at each step; `visit` decides whether to go deeper.
 * - `graph.runInline(fn)`: the call that runs an inline callback synchronously (`xs.map(cb)`).
 * - `graph.functionName(fn)` / `graph.hasName(fn)`: the name a reader finds a function by.
 * - `graph.nodesOfType(type)`: nodes of a few types other analyses index, collected by the same walk.
 * - `graph.resolver`: the file's value identity (`InstanceResolver`): same variable, same path.
 */

export type CodeOwner = FunctionNode | TSESTree.Program;

export interface Bindings {
  /** Parameter root → the caller's value (an instance path in the caller's context). */
  readonly instances: ReadonlyMap<string, InstanceRef>;
  /** Parameter root (or function path) → the function the caller passed. */
  readonly functions: ReadonlyMap<string, FunctionNode>;
}

export const EMPTY_BINDINGS: Bindings = { instances: new Map(), functions: new Map() };

/** One step of `reach`: a function the call reaches, how, and what its parameters are bound to. */
export interface ReachStep {
  readonly fn: FunctionNode;
  /** The call that entered `fn` (undefined when `fn` was entered as a callback given by `visit`). */
  readonly call: TSESTree.CallExpression | undefined;
  readonly bindings: Bindings;
  /** Names of the named functions entered so far, `fn` included (inline callbacks have none). */
  readonly chain: readonly string[];
  /** Every function entered so far, outermost first, `fn` last. */
  readonly entered: readonly FunctionNode[];
  readonly depth: number;
  /** The step whose function made the call (undefined for the first step). */
  readonly parent?: ReachStep;
}

/** Node types whose instances other analyses read; the walk indexes them on the way (`#collect`). */
export type IndexedNodeType =
  | AST_NODE_TYPES.VariableDeclarator
  | AST_NODE_TYPES.VariableDeclaration
  | AST_NODE_TYPES.AssignmentExpression
  | AST_NODE_TYPES.PropertyDefinition
  | AST_NODE_TYPES.TSParameterProperty
  | AST_NODE_TYPES.ClassDeclaration;

/**
 * Array methods that call their callback synchronously, while the caller runs (one list for
 * every analysis: the call graph's inline callbacks and the output rule's owners).
 */
export const SYNC_CALLBACK_METHODS: ReadonlySet<string> = new Set([
  'map',
  'forEach',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'reduce',
  'reduceRight',
  'sort',
]);

/** Nodes with nothing inside to analyse: not worth a call each (most nodes of a file are these). */
const LEAF_TYPES: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.Identifier,
  AST_NODE_TYPES.Literal,
  AST_NODE_TYPES.TemplateElement,
  AST_NODE_TYPES.PrivateIdentifier,
  AST_NODE_TYPES.ThisExpression,
  AST_NODE_TYPES.Super,
]);

const TYPE_ONLY_KEYS: ReadonlySet<string> = new Set(['typeAnnotation', 'typeParameters', 'typeArguments', 'returnType', 'superTypeArguments', 'implements']);
const TYPE_ONLY_DECLARATIONS: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.TSInterfaceDeclaration,
  AST_NODE_TYPES.TSTypeAliasDeclaration,
  AST_NODE_TYPES.TSDeclareFunction,
]);

/** The types whose subtree neither walk enters: leaves and type-only declarations (none of them is collected). */
const SKIPPED_TYPES: ReadonlySet<string> = new Set([...LEAF_TYPES, ...TYPE_ONLY_DECLARATIONS]);

export class CallGraph {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly resolver: InstanceResolver;
  readonly calls: TSESTree.CallExpression[] = [];
  readonly functions: FunctionNode[] = [];

  readonly #ownerOf = new Map<TSESTree.Node, CodeOwner>();
  /** `c3.audit`, `v7` … → the in-file function a call through that path runs. */
  readonly #functionsByKey = new Map<string, FunctionNode>();
  /**
   * The member names some function is reached through (`m` of `c3.m`): a member call's key is
   * its object's key, a dot and its member name, so a call whose name is not here reaches no
   * function (see `#calleeUncached`).
   */
  readonly #reachedMemberNames = new Set<string>();
  readonly #functionNames = new Map<FunctionNode, string>();
  readonly #byType = new Map<string, TSESTree.Node[]>();
  readonly #inlineRunner = new Map<FunctionNode, TSESTree.CallExpression>();
  readonly #compiledMethodCalls: Array<{ receiver: TSESTree.Node; method: TSESTree.Identifier }> = [];
  readonly #calleeMemo = new Map<TSESTree.CallExpression, FunctionNode | undefined>();
  #callers: Map<FunctionNode, TSESTree.CallExpression[]> | undefined;

  /** `collectBy: 'walk'` forces the recursive walk (tests compare it with the steps). */
  constructor(sourceCode: Readonly<TSESLint.SourceCode>, collectBy: 'steps' | 'walk' = 'steps') {
    this.sourceCode = sourceCode;
    this.resolver = new InstanceResolver(sourceCode);
    const steps = collectBy === 'steps' ? traversalStepsOf(sourceCode) : undefined;
    if (steps) this.#walkSteps(steps, sourceCode.ast);
    else this.#walk(sourceCode.ast, sourceCode.ast);
    this.#linkCompiledPrivateMethods();
  }

  // ---------------------------------------------------------------- questions

  enclosingFunction(node: TSESTree.Node): CodeOwner {
    const known = this.#ownerOf.get(node);
    if (known) return known;
    // Nodes the walk did not index: the nearest function above them.
    for (let current = node.parent; current; current = current.parent) {
      if (isFunctionNode(current)) return current;
    }
    return this.sourceCode.ast;
  }

  nodesOfType<T extends IndexedNodeType>(type: T): ReadonlyArray<Extract<TSESTree.Node, { type: T }>> {
    return (this.#byType.get(type) ?? []) as Array<Extract<TSESTree.Node, { type: T }>>;
  }

  /** True when the function has a name a reader can find (declaration, method, `const`). */
  hasName(fn: FunctionNode): boolean {
    return this.#functionNames.has(fn);
  }

  functionName(fn: CodeOwner): string {
    if (fn.type === AST_NODE_TYPES.Program) return '(module)';
    return this.#functionNames.get(fn) ?? '(anonymous function)';
  }

  /** The in-file function a path expression names (`helper`, `this.m`), if any. */
  functionAt(expression: TSESTree.Node): FunctionNode | undefined {
    const unwrapped = unwrapExpression(expression);
    if (isFunctionNode(unwrapped)) return unwrapped;
    const key = this.resolver.resolveKey(unwrapped);
    return key === undefined ? undefined : this.#functionsByKey.get(key);
  }

  /** The call that runs `fn` synchronously as an array-method callback (`xs.map(fn)`), if any. */
  runInline(fn: FunctionNode): TSESTree.CallExpression | undefined {
    return this.#inlineRunner.get(fn);
  }

  calleeOf(call: TSESTree.CallExpression, bindings: Bindings = EMPTY_BINDINGS): FunctionNode | undefined {
    // Without functions bound by the caller the answer depends on the call alone: memoise it.
    if (bindings === EMPTY_BINDINGS || bindings.functions.size === 0) {
      if (this.#calleeMemo.has(call)) return this.#calleeMemo.get(call);
      const target = this.#calleeUncached(call, EMPTY_BINDINGS);
      this.#calleeMemo.set(call, target);
      return target;
    }
    return this.#calleeUncached(call, bindings);
  }

  callersOf(fn: FunctionNode): readonly TSESTree.CallExpression[] {
    if (!this.#callers) {
      this.#callers = new Map();
      for (const call of this.calls) {
        const target = this.calleeOf(call);
        if (!target) continue;
        const list = this.#callers.get(target) ?? [];
        list.push(call);
        this.#callers.set(target, list);
      }
    }
    return this.#callers.get(fn) ?? [];
  }

  callArguments(call: TSESTree.CallExpression): readonly TSESTree.CallExpressionArgument[] {
    return callArguments(call);
  }

  argumentBindings(callee: FunctionNode, call: TSESTree.CallExpression, outer: Bindings = EMPTY_BINDINGS): Bindings {
    // Without outer bindings the answer depends on the call and its callee alone: the held
    // analysis asks again for every wrapper call in each of its rounds.
    if (outer === EMPTY_BINDINGS) {
      const known = this.#directBindings.get(call);
      if (known?.callee === callee) return known.bindings;
      const bindings = this.#bindingsUncached(callee, call, outer);
      this.#directBindings.set(call, { callee, bindings });
      return bindings;
    }
    return this.#bindingsUncached(callee, call, outer);
  }

  readonly #directBindings = new Map<TSESTree.CallExpression, { readonly callee: FunctionNode; readonly bindings: Bindings }>();

  #bindingsUncached(callee: FunctionNode, call: TSESTree.CallExpression, outer: Bindings): Bindings {
    const instances = new Map<string, InstanceRef>();
    const functions = new Map<string, FunctionNode>();
    const args = callArguments(call);
    callee.params.forEach((param, index) => {
      const argument = args[index];
      const identifier = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
      if (!argument || identifier.type !== AST_NODE_TYPES.Identifier) return;
      const variable = this.resolver.variableOf(identifier);
      if (!variable) return;
      const root = this.resolver.rootOfVariable(variable);
      const unwrapped = unwrapExpression(argument);
      if (isFunctionNode(unwrapped)) {
        functions.set(root, unwrapped);
        return;
      }
      const instance = this.resolver.resolve(argument);
      if (!instance) return;
      const passed = outer.functions.get(instance.key) ?? this.#functionsByKey.get(instance.key);
      if (passed) {
        functions.set(root, passed);
        return;
      }
      instances.set(root, substituteRoot(instance, outer.instances));
    });
    return { instances, functions };
  }

  /**
   * Depth-first over the functions `call` reaches (cycles stop, `maxDepth` bounds the chain).
   * `visit` sees each step and returns `'stop'` to end the whole walk, `'skip'` not to go deeper
   * from that function, or `'continue'`. `follow(call, step)` may refuse a call of a reached
   * function (for example one whose result the caller does not wait for).
   */
  reach(
    call: TSESTree.CallExpression,
    visit: (step: ReachStep) => 'stop' | 'skip' | 'continue',
    options: { maxDepth: number; outer?: Bindings; follow?: (call: TSESTree.CallExpression, step: ReachStep) => boolean },
  ): void {
    const target = this.calleeOf(call, options.outer ?? EMPTY_BINDINGS);
    if (!target) return;
    const first: ReachStep = {
      fn: target,
      call,
      bindings: this.argumentBindings(target, call, options.outer ?? EMPTY_BINDINGS),
      chain: this.hasName(target) ? [this.functionName(target)] : [],
      entered: [target],
      depth: 1,
    };
    this.reachFrom(first, visit, options);
  }

  /** `reach` from a step the caller built (a callback entered without a call of its own). */
  reachFrom(
    first: ReachStep,
    visit: (step: ReachStep) => 'stop' | 'skip' | 'continue',
    options: { maxDepth: number; follow?: (call: TSESTree.CallExpression, step: ReachStep) => boolean },
  ): void {
    const visited = new Set<FunctionNode>([first.fn]);
    const go = (step: ReachStep): boolean => {
      const verdict = visit(step);
      if (verdict === 'stop') return true;
      if (verdict === 'skip' || step.depth >= options.maxDepth) return false;
      for (const inner of this.callsRunBy(step.fn)) {
        if (options.follow && !options.follow(inner, step)) continue;
        const target = this.calleeOf(inner, step.bindings);
        if (!target || visited.has(target)) continue; // call cycles stop here
        visited.add(target);
        const next: ReachStep = {
          fn: target,
          call: inner,
          bindings: this.argumentBindings(target, inner, step.bindings),
          chain: this.hasName(target) ? [...step.chain, this.functionName(target)] : step.chain,
          entered: [...step.entered, target],
          depth: step.depth + 1,
          parent: step,
        };
        if (go(next)) return true;
      }
      return false;
    };
    go(first);
  }

  /**
   * Calls that run when `fn` runs: its own, and those of callbacks it runs inline. Other
   * analyses may declare more inline callbacks (a lock's held callback) with `markInline`.
   */
  callsRunBy(fn: CodeOwner): readonly TSESTree.CallExpression[] {
    if (!this.#callsByRunner) {
      this.#callsByRunner = new Map();
      for (const call of this.calls) {
        const runner = this.effectiveOwner(call);
        const list = this.#callsByRunner.get(runner) ?? [];
        list.push(call);
        this.#callsByRunner.set(runner, list);
      }
    }
    return this.#callsByRunner.get(fn) ?? [];
  }

  #callsByRunner: Map<CodeOwner, TSESTree.CallExpression[]> | undefined;

  /** Declare that `fn` runs inline during `call` (invalidates the per-function call index). */
  markInline(fn: FunctionNode, call: TSESTree.CallExpression): void {
    if (this.#inlineRunner.get(fn) === call) return;
    this.#inlineRunner.set(fn, call);
    this.#callsByRunner = undefined;
    this.#effectiveOwners.clear();
  }

  /** `effectiveOwner` answers until the next `markInline` (the held analysis asks for every call, round after round). */
  readonly #effectiveOwners = new Map<TSESTree.Node, CodeOwner>();

  /** The function whose execution runs `node`: its own, climbing out of inline-run callbacks. */
  effectiveOwner(node: TSESTree.Node): CodeOwner {
    let owner = this.#effectiveOwners.get(node);
    if (owner === undefined) {
      owner = this.#effectiveOwnerUncached(node);
      this.#effectiveOwners.set(node, owner);
    }
    return owner;
  }

  #effectiveOwnerUncached(node: TSESTree.Node): CodeOwner {
    let owner = this.enclosingFunction(node);
    for (let guard = 0; guard < 100 && owner.type !== AST_NODE_TYPES.Program; guard++) {
      const runner = this.#inlineRunner.get(owner);
      if (!runner) break;
      owner = this.enclosingFunction(runner);
    }
    return owner;
  }

  // ---------------------------------------------------------------- collection

  /**
   * The walk over ESLint's own traversal steps (computed once per file before any rule runs): a
   * flat loop instead of a recursive descent that reads every node's keys. It sees exactly the
   * nodes `#walk` sees: subtrees `#walk` does not enter (type-only keys and declarations, leaf
   * nodes' children such as a parameter's decorators) are skipped from their enter step to
   * their exit step.
   */
  #walkSteps(steps: readonly TraversalStep[], program: TSESTree.Program): void {
    const owners: CodeOwner[] = [program];
    let owner: CodeOwner = program;
    let skipping: TSESTree.Node | undefined;
    for (let index = 0; index < steps.length; index++) {
      const step = steps[index] as TraversalStep;
      if (step.kind !== 1) continue;
      const node = step.target as TSESTree.Node;
      if (skipping !== undefined) {
        if (node === skipping && step.phase === 2) skipping = undefined;
        continue;
      }
      if (step.phase === 2) {
        if (node === owner) {
          owners.pop();
          owner = owners[owners.length - 1] ?? program;
        }
        continue;
      }
      const type = node.type;
      // Close to half of the nodes are leaves (names, literals, `this`): skipped before `#collect`'s switch.
      if (SKIPPED_TYPES.has(type)) {
        skipping = node;
        continue;
      }
      const collected = this.#collect(node, owner);
      if (collected === 'function') {
        owners.push(node as FunctionNode);
        owner = node as FunctionNode;
      } else if (collected === 'other' && type.startsWith('TS') && isTypeOnlyChild(node)) {
        skipping = node;
      }
    }
  }

  /**
   * Records one node both walks meet: a function (it owns what is inside it), a call, or a node
   * of an indexed type, each with its owner. Answers which of these it was ('other': none).
   */
  #collect(node: TSESTree.Node, owner: CodeOwner): 'function' | 'indexed' | 'other' {
    switch (node.type) {
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
        this.#ownerOf.set(node, owner);
        this.functions.push(node);
        this.#registerFunction(node);
        return 'function';
      case AST_NODE_TYPES.CallExpression:
        this.#ownerOf.set(node, owner);
        this.calls.push(node);
        this.#noteCall(node);
        return 'indexed';
      case AST_NODE_TYPES.VariableDeclaration:
      case AST_NODE_TYPES.VariableDeclarator:
      case AST_NODE_TYPES.AssignmentExpression:
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.TSParameterProperty:
      case AST_NODE_TYPES.ClassDeclaration:
        this.#ownerOf.set(node, owner);
        this.#index(node);
        return 'indexed';
      default:
        return 'other';
    }
  }

  #walk(node: TSESTree.Node, owner: CodeOwner): void {
    const innerOwner = this.#collect(node, owner) === 'function' ? (node as FunctionNode) : owner;
    for (const key of this.#childKeys(node.type)) {
      const child: unknown = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item) && !LEAF_TYPES.has(item.type)) this.#walk(item, innerOwner);
      } else if (isNode(child) && !LEAF_TYPES.has(child.type)) {
        this.#walk(child, innerOwner);
      }
    }
  }

  readonly #childKeysByType = new Map<string, readonly string[]>();

  /**
   * The keys of a node type worth descending into, filtered once per type: type-level subtrees
   * hold no calls or declarations (annotations are read from their nodes), and neither do
   * interface and type-alias declarations, whole subtrees a `.ts` file has many of.
   */
  #childKeys(type: string): readonly string[] {
    let keys = this.#childKeysByType.get(type);
    if (!keys) {
      keys = TYPE_ONLY_DECLARATIONS.has(type) ? [] : (this.sourceCode.visitorKeys[type] ?? []).filter((key) => !TYPE_ONLY_KEYS.has(key));
      this.#childKeysByType.set(type, keys);
    }
    return keys;
  }

  #index(node: TSESTree.Node): void {
    const list = this.#byType.get(node.type) ?? [];
    list.push(node);
    this.#byType.set(node.type, list);
  }

  #noteCall(call: TSESTree.CallExpression): void {
    const callee = call.callee;
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const method = memberName(callee);
      if (method !== undefined && SYNC_CALLBACK_METHODS.has(method)) {
        for (const argument of call.arguments) if (isFunctionNode(argument)) this.#inlineRunner.set(argument, call);
      }
      return;
    }
    const access = compiledPrivateAccess(call);
    if (access?.kind === 'm' && access.method) this.#compiledMethodCalls.push({ receiver: access.receiver, method: access.method });
  }

  /**
   * TypeScript's down-levelled private methods: `__classPrivateFieldGet(this, _C_instances, "m",
   * _C_m)` names the function assigned to `_C_m`; bind it to the class's `this` and name it `#m`.
   */
  #linkCompiledPrivateMethods(): void {
    const linked = new Set<string>();
    for (const { receiver, method } of this.#compiledMethodCalls) {
      // Every call of one private method names the same function: link it once.
      if (linked.has(method.name)) continue;
      linked.add(method.name);
      const variable = this.resolver.variableOf(method);
      for (const reference of variable?.references ?? []) {
        const assignment = reference.identifier.parent;
        if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.left !== reference.identifier) continue;
        const fn = unwrapExpression(assignment.right);
        if (!isFunctionNode(fn)) continue;
        this.resolver.noteCompiledPrivateMethod(fn, receiver);
        const name = `#${method.name.replace(/^_[A-Za-z0-9$]+?_/u, '')}`;
        const key = this.resolver.resolve(method);
        if (key) this.#nameFunction(fn, name, key);
      }
    }
  }

  /** Record how calls reach a function (`f()`, `this.m()`, `obj.m()`) and its name for chains. */
  #registerFunction(fn: FunctionNode): void {
    const parent = fn.parent;
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) {
      this.#nameFunction(fn, fn.id.name, this.#declaredRef(fn.id));
      return;
    }
    if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier && parent.init === fn) {
      this.#nameFunction(fn, parent.id.name, parent.parent.kind === 'const' ? this.#declaredRef(parent.id) : undefined);
      return;
    }
    if (
      (parent.type === AST_NODE_TYPES.MethodDefinition && parent.kind === 'method') ||
      (parent.type === AST_NODE_TYPES.PropertyDefinition && parent.value === fn)
    ) {
      const name = propertyKeyName(parent.key, parent.computed);
      const classNode = parent.parent.parent;
      if (name !== undefined) {
        const root = `${parent.static ? 'cs' : 'c'}${this.resolver.idOf(classNode)}`;
        this.#nameFunction(fn, name, makeRef(root, [name], name));
      }
      return;
    }
    if (parent.type === AST_NODE_TYPES.Property && parent.value === fn && parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
      const name = propertyKeyName(parent.key, parent.computed);
      const declarator = parent.parent.parent;
      if (name === undefined) return;
      if (
        declarator.type === AST_NODE_TYPES.VariableDeclarator &&
        declarator.id.type === AST_NODE_TYPES.Identifier &&
        declarator.parent.kind === 'const'
      ) {
        const object = this.resolver.resolve(declarator.id);
        this.#nameFunction(fn, name, object && makeRef(object.root, [...object.path, name], name));
      } else {
        this.#functionNames.set(fn, name);
      }
      return;
    }
    // A named function expression anywhere else (an IIFE, a callback) is found by its own name.
    if (fn.type === AST_NODE_TYPES.FunctionExpression && fn.id) this.#functionNames.set(fn, fn.id.name);
  }

  /** The instance a declared name is, straight from its variable (a declaration is its own root). */
  #declaredRef(identifier: TSESTree.Identifier): InstanceRef | undefined {
    const variable = this.resolver.variableOf(identifier);
    return variable && makeRef(this.resolver.rootOfVariable(variable), [], identifier.name);
  }

  #nameFunction(fn: FunctionNode, name: string, reachedThrough: InstanceRef | undefined): void {
    this.#functionNames.set(fn, name);
    if (!reachedThrough) return;
    const key = reachedThrough.key;
    this.#functionsByKey.set(key, fn);
    // Every tail after a dot: a quoted name may itself hold one (`'a.b'() {}` is `c3.a.b`).
    for (let dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) this.#reachedMemberNames.add(key.slice(dot + 1));
  }

  #calleeUncached(call: TSESTree.CallExpression, bindings: Bindings): FunctionNode | undefined {
    let callee = unwrapExpression(call.callee);
    if (isFunctionNode(callee)) return callee; // an IIFE
    // `fn.call(thisArg, …)`: the function is `fn` (arguments shift by one, see callArguments).
    if (isDotCall(call) && callee.type === AST_NODE_TYPES.MemberExpression) {
      callee = unwrapExpression(callee.object);
      const access = compiledPrivateAccess(callee);
      if (access?.kind === 'm' && access.method) callee = access.method;
    }
    // Only calls through a path can reach a function of the file.
    if (callee.type !== AST_NODE_TYPES.Identifier && callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    // A member call's key is its object's key and its member name: no function is reached through
    // a name none is registered under. (Functions a caller binds are keyed by parameter roots,
    // which have no member.) Most calls of a file stop here, before any resolution.
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(callee);
      if (name === undefined || !this.#reachedMemberNames.has(name)) return undefined;
    }
    const key = this.resolver.resolveKey(callee);
    if (key === undefined) return undefined;
    return bindings.functions.get(key) ?? this.#functionsByKey.get(key);
  }
}

// ---------------------------------------------------------------- helpers

/** One step of ESLint's traversal (`@eslint/plugin-kit`'s VisitNodeStep / CallMethodStep). */
interface TraversalStep {
  /** 1: a node is entered (phase 1) or left (phase 2); 2: a code path event. */
  readonly kind: number;
  readonly target: unknown;
  readonly phase?: number;
}

/**
 * ESLint's traversal steps of the file (`SourceCode#traverse()`, public since ESLint 9 and
 * cached: the linter computed them before the first rule ran), or undefined for a source code
 * object without them.
 */
function traversalStepsOf(sourceCode: Readonly<TSESLint.SourceCode>): readonly TraversalStep[] | undefined {
  const traverse = (sourceCode as unknown as { traverse?: () => readonly TraversalStep[] }).traverse;
  if (typeof traverse !== 'function') return undefined;
  const steps = traverse.call(sourceCode);
  return Array.isArray(steps) ? steps : undefined;
}

/** True when the node is held by one of its parent's type-only keys (`#walk` never enters those). */
function isTypeOnlyChild(node: TSESTree.Node): boolean {
  const parent = node.parent as unknown as Record<string, unknown> | undefined;
  if (!parent) return false;
  for (const key of TYPE_ONLY_KEYS) {
    const value = parent[key];
    if (value === node || (Array.isArray(value) && value.includes(node))) return true;
  }
  return false;
}

/** `something.call(thisArg, …)`. */
function isDotCall(call: TSESTree.CallExpression): boolean {
  const callee = unwrapExpression(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === 'call' && call.arguments.length > 0;
}

/** The arguments the called function's parameters receive (`f.call(self, a)` → `[a]`). */
export function callArguments(call: TSESTree.CallExpression): readonly TSESTree.CallExpressionArgument[] {
  return isDotCall(call) ? call.arguments.slice(1) : call.arguments;
}

/** Through `await`, `?.`, `!`, `as`, `satisfies` and `<T>x`: the expression that carries the value. */
export function unwrapExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (let inner = unwrappedOnce(current); inner !== undefined; inner = unwrappedOnce(current)) current = inner;
  return current;
}

/** What `unwrapExpression` looks through `node` to: `await x`, or what an instance path looks through (`pathThrough`). */
function unwrappedOnce(node: TSESTree.Node): TSESTree.Node | undefined {
  return node.type === AST_NODE_TYPES.AwaitExpression ? node.argument : pathThrough(node);
}

export function propertyKeyName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  if (!computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') return key.value;
  return undefined;
}

// ---------------------------------------------------------------- per-file cache

const graphs = new WeakMap<object, CallGraph>();

/** The call graph of the file being linted: one per Program, whichever rule asks first builds it. */
export function getCallGraph(sourceCode: Readonly<TSESLint.SourceCode>): CallGraph {
  return perProgram(graphs, sourceCode, () => new CallGraph(sourceCode));
}

/** What `cache` holds for the file's Program, made by `make` the first time it is asked for. */
function perProgram<T>(cache: WeakMap<object, T>, sourceCode: Readonly<TSESLint.SourceCode>, make: () => T): T {
  let value = cache.get(sourceCode.ast);
  if (value === undefined) {
    value = make();
    cache.set(sourceCode.ast, value);
  }
  return value;
}

// ---------------------------------------------------------------- calls by name, without the graph

/**
 * What the call graph answers about a function reached through its own name alone (a
 * declaration `function f() {}`, or `const f = () => {}`), read from the name's references
 * instead of a walk of the whole file: most questions the output rule asks are of this kind
 * (`reset()` called where? `afterEach(reset)`?), and a test file of thousands of lines then
 * costs a few lookups instead of a call graph.
 *
 * Each answer is the graph's own, in the graph's order (a test compares them), or `undefined`
 * when only the graph can give it: a function reached through a member (`this.m()`,
 * `obj.m()`), a name with several declarations, a file with TypeScript's down-levelled private
 * methods (they are keyed by name too, through the graph's walk).
 *
 * The rules the graph follows: a call reaches `f` when its callee (through what `unwrapExpression`
 * looks through, and `.call(self, …)`) is a name whose key is `f`'s, which is `f`'s own name or a
 * `const` alias of it (`const g = f`); only calls the graph's walk collects count (not those in
 * type positions or in a parameter's decorators).
 */
export class NamedCallSites {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #resolver: InstanceResolver;
  readonly #compiledClasses: boolean;

  constructor(sourceCode: Readonly<TSESLint.SourceCode>) {
    this.#sourceCode = sourceCode;
    this.#resolver = new InstanceResolver(sourceCode);
    this.#compiledClasses = sourceCode.text.includes('classPrivateFieldGet');
  }

  /** The calls that run `fn` (as `CallGraph.callersOf`), or undefined. */
  callersOf(fn: FunctionNode): readonly TSESTree.CallExpression[] | undefined {
    const names = this.#namesOf(fn);
    if (names === undefined) return undefined;
    const calls: TSESTree.CallExpression[] = [];
    for (const name of names) {
      const call = callRunningName(name);
      if (call !== undefined && isCollectedByWalk(call) && !calls.includes(call)) calls.push(call);
    }
    return calls.sort(inWalkOrder);
  }

  /** The arguments that hand `fn` on by name (`afterEach(reset)`), in the graph's call order, or undefined. */
  passesOf(fn: FunctionNode): readonly TSESTree.Identifier[] | undefined {
    const names = this.#namesOf(fn);
    if (names === undefined) return undefined;
    const passes: Array<{ name: TSESTree.Identifier; call: TSESTree.CallExpression; index: number }> = [];
    for (const name of names) {
      const call = name.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !isCollectedByWalk(call)) continue;
      const index = (call.arguments as readonly TSESTree.Node[]).indexOf(name);
      if (index >= 0) passes.push({ name, call, index });
    }
    return passes.sort((a, b) => inWalkOrder(a.call, b.call) || a.index - b.index).map((pass) => pass.name);
  }

  /**
   * The in-file function `call` runs (as `CallGraph.calleeOf` without bindings), or `null` when
   * only the graph can tell (a member callee, a name with several declarations).
   */
  calleeOf(call: TSESTree.CallExpression): FunctionNode | undefined | null {
    if (this.#compiledClasses) return null;
    let callee = unwrapExpression(call.callee);
    if (isFunctionNode(callee)) return callee;
    if (isDotCall(call) && callee.type === AST_NODE_TYPES.MemberExpression) callee = unwrapExpression(callee.object);
    if (callee.type === AST_NODE_TYPES.MemberExpression) return null;
    if (callee.type !== AST_NODE_TYPES.Identifier) return undefined;
    const key = this.#resolver.resolveKey(callee);
    if (key === undefined) return undefined;
    // A member path (`const run = this.run`) needs the graph; `g:name` (an undeclared global)
    // and `c<n>` (a bare `this`) name no function.
    if (key.includes('.')) return null;
    if (!key.startsWith('v')) return undefined;
    const variable = this.#resolver.variableOfRoot(key);
    if (variable === undefined) return undefined;
    if (variable.defs.length !== 1) return null;
    return namedFunctionOf(variable);
  }

  /**
   * The identifiers whose key is `fn`'s (its name's references and those of its `const`
   * aliases), or undefined when `fn` is not reached by a name of its own alone.
   */
  #namesOf(fn: FunctionNode): TSESTree.Identifier[] | undefined {
    if (this.#compiledClasses) return undefined;
    const variable = this.#ownVariable(fn);
    if (variable === undefined) return undefined;
    const key = this.#resolver.rootOfVariable(variable);
    const names: TSESTree.Identifier[] = [];
    const seen = new Set<TSESLint.Scope.Variable>([variable]);
    const pending = [variable];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      for (const reference of next.references) {
        const identifier = reference.identifier;
        if (identifier.type !== AST_NODE_TYPES.Identifier) continue;
        if (this.#resolver.resolveKey(identifier) === key) names.push(identifier);
        // `const g = f` (or `f!`): `g` has `f`'s key too.
        const alias = aliasDeclaredBy(identifier, this.#sourceCode);
        if (alias !== undefined && !seen.has(alias)) {
          seen.add(alias);
          pending.push(alias);
        }
      }
    }
    return names;
  }

  /** The variable `fn` is declared by, when the graph keys `fn` by that variable alone. */
  #ownVariable(fn: FunctionNode): TSESLint.Scope.Variable | undefined {
    let identifier: TSESTree.Identifier | undefined;
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) identifier = fn.id;
    else {
      const declarator = fn.parent;
      if (declarator.type === AST_NODE_TYPES.VariableDeclarator && declarator.init === fn && declarator.id.type === AST_NODE_TYPES.Identifier && declarator.parent.kind === 'const') {
        identifier = declarator.id;
      }
    }
    if (identifier === undefined) return undefined;
    const variable = this.#resolver.variableOf(identifier);
    return variable !== undefined && variable.defs.length === 1 && namedFunctionOf(variable) === fn ? variable : undefined;
  }
}

/** The function a single-definition variable names, as `#registerFunction` keys it: a declaration, or a `const` initialised with a function. */
function namedFunctionOf(variable: TSESLint.Scope.Variable): FunctionNode | undefined {
  const def = variable.defs[0];
  if (def?.type === 'FunctionName' && def.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
  if (def?.type === 'Variable' && def.parent.kind === 'const' && def.node.id === def.name) {
    const init = def.node.init;
    if (init && isFunctionNode(init)) return init;
  }
  return undefined;
}

/** The variable of `const alias = name` (or `= name!`), when `name` is its whole initialiser. */
function aliasDeclaredBy(name: TSESTree.Identifier, sourceCode: Readonly<TSESLint.SourceCode>): TSESLint.Scope.Variable | undefined {
  let value: TSESTree.Node = name;
  while (value.parent?.type === AST_NODE_TYPES.TSNonNullExpression) value = value.parent;
  const declarator = value.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== value || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (declarator.parent.kind !== 'const') return undefined;
  const aliasName = declarator.id.name;
  return sourceCode.getDeclaredVariables(declarator).find((variable) => variable.name === aliasName);
}

/** The call a name is the callee of (`f()`, `await f()`, `f?.()`, `f!()`, `f.call(self, …)`). */
function callRunningName(name: TSESTree.Identifier): TSESTree.CallExpression | undefined {
  const value = climbUnwrapped(name);
  const member = value.parent;
  if (member?.type === AST_NODE_TYPES.MemberExpression && member.object === value && !member.computed && member.property.type === AST_NODE_TYPES.Identifier && member.property.name === 'call') {
    const call = callWhoseCallee(member);
    return call !== undefined && isDotCall(call) ? call : undefined;
  }
  return callWhoseCallee(name);
}

/** The call whose callee is `node`, seen through what `unwrapExpression` looks through. */
export function callWhoseCallee(node: TSESTree.Node): TSESTree.CallExpression | undefined {
  const callee = climbUnwrapped(node);
  const parent = callee.parent;
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === callee ? parent : undefined;
}

/** Up through what `unwrapExpression` looks through, from the inside. */
function climbUnwrapped(node: TSESTree.Node): TSESTree.Node {
  let child = node;
  while (child.parent !== undefined && unwrappedOnce(child.parent) === child) child = child.parent;
  return child;
}

/** False for a call inside a subtree the graph's walk skips (type positions, a parameter's decorators). */
function isCollectedByWalk(call: TSESTree.Node): boolean {
  for (let node = call.parent; node; node = node.parent) {
    const type = node.type;
    if (LEAF_TYPES.has(type) || TYPE_ONLY_DECLARATIONS.has(type) || (type.startsWith('TS') && isTypeOnlyChild(node))) return false;
  }
  return true;
}

/** The graph's walk order: by start, an enclosing call before the calls inside it. */
function inWalkOrder(a: TSESTree.Node, b: TSESTree.Node): number {
  return a.range[0] - b.range[0] || b.range[1] - a.range[1];
}

const namedSites = new WeakMap<object, NamedCallSites>();

/** The file's `NamedCallSites`, one per Program. */
export function getNamedCallSites(sourceCode: Readonly<TSESLint.SourceCode>): NamedCallSites {
  return perProgram(namedSites, sourceCode, () => new NamedCallSites(sourceCode));
}
