import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, AST_TOKEN_TYPES } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import type { FunctionNode, InstanceRef } from './instance-identity.js';
import { compiledPrivateAccess, InstanceResolver, isFunctionNode, makeRef, memberName, substituteRoot } from './instance-identity.js';
import type { KindRegistry, ResourceKind } from './resource-kinds.js';
import { containsAny } from './resource-kinds.js';
import { OPAQUE_KIND, STACK_USE_METHODS, UNTYPED_SCOPED_METHOD } from './resource-kinds.js';

/**
 * Acquisitions, held regions and the in-file call graph of one file, computed once and shared by
 * every ctx rule that asks (eslint-plugin-regexp shares its regexp parses the same way): the
 * cache is a WeakMap keyed by the SourceCode, then by the options that change the result.
 */

/** How an instance was taken. */
export type AcquisitionForm =
  /** `lock.runExclusive(cb)`: held while `cb` runs. */
  | 'scoped'
  /** `const release = await lock.acquire()` … `release()`: held in between. */
  | 'acquire'
  /** `navigator.locks.request(name, cb)`: the name is held while `cb` runs. */
  | 'webLock'
  /** `using x = stack`: held (and disposed at the end) for the rest of the block. */
  | 'using'
  /** A call to an in-file function that runs its callback argument while holding an instance. */
  | 'wrapper';

export interface Acquisition {
  /** The call or `using` declarator: where a nested acquisition is reported. */
  readonly node: TSESTree.Node;
  /** The instance, in the context of the function that contains `node` (may be a parameter). */
  readonly instance: InstanceRef;
  readonly form: AcquisitionForm;
  /** `lock` deadlocks when nested; `stack` / `disposable` are disposed early by the inner scope. */
  readonly effect: 'lock' | 'dispose';
  /** The function whose body contains `node`, or the Program for top-level code. */
  readonly owner: FunctionNode | TSESTree.Program;
  /** A callback run while the instance is held (inline function, or an in-file function). */
  readonly heldCallback?: FunctionNode;
  /** A source range of `owner` during which the instance is held. */
  readonly heldRange?: readonly [number, number];
  /** For `wrapper`: the chain of in-file functions that hold the instance on the callee side. */
  readonly via?: readonly string[];
}

/** "F runs its parameter `callbackIndex` while holding `instance`" (instance in F's context). */
interface WrapperSummary {
  readonly instance: InstanceRef;
  readonly callbackIndex: number;
  readonly effect: 'lock' | 'dispose';
  readonly via: readonly string[];
}

/** Array methods that call their callback synchronously, so it runs inside the caller's hold. */
const SYNC_CALLBACK_METHODS: ReadonlySet<string> = new Set([
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

type Owner = FunctionNode | TSESTree.Program;

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

export type TypeServices = ParserServicesWithTypeInformation | undefined;

/** One file's shared analysis. Pieces are computed lazily, each at most once. */
export class FileAnalysis {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly registry: KindRegistry;
  readonly resolver: InstanceResolver;
  readonly #types: TypeServices;

  /** Owner (innermost enclosing function, or the Program) of every function and call. */
  readonly #ownerOf = new Map<TSESTree.Node, Owner>();
  readonly #calls: TSESTree.CallExpression[] = [];
  readonly #usingDeclarations: TSESTree.VariableDeclaration[] = [];
  /** `c3.audit`, `v7` … → the in-file function a call through that path runs. */
  readonly #functionsByKey = new Map<string, FunctionNode>();
  readonly #functionNames = new Map<FunctionNode, string>();
  /** Instance key → kind, from constructors, annotations and alias assignments. */
  readonly #instanceKinds = new Map<string, ResourceKind>();
  readonly #kindFacts: Array<{ target: TSESTree.Node; value: TSESTree.Node | undefined; annotation: TSESTree.TypeNode | undefined }> = [];

  #acquisitions: Acquisition[] | undefined;
  #wrappers: Map<FunctionNode, WrapperSummary[]> | undefined;
  /** Inline functions that run while their enclosing function runs (held callbacks, `arr.map(cb)`). */
  readonly #inlineRunner = new Map<FunctionNode, TSESTree.CallExpression>();

  constructor(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, types: TypeServices) {
    this.sourceCode = sourceCode;
    this.registry = registry;
    this.#types = types;
    this.resolver = new InstanceResolver(sourceCode);
    this.#walk(sourceCode.ast, sourceCode.ast);
    this.#linkCompiledPrivateMembers();
    this.#recogniseKinds();
  }

  // ---------------------------------------------------------------- collection

  #walk(node: TSESTree.Node, owner: Owner): void {
    let innerOwner = owner;
    switch (node.type) {
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.FunctionExpression:
        this.#ownerOf.set(node, owner);
        this.#registerFunction(node);
        innerOwner = node;
        // A parameter with a type annotation: `function f(stack: DisposableStack)`.
        for (const param of node.params) {
          if (param.type === AST_NODE_TYPES.Identifier && param.typeAnnotation) {
            this.#kindFacts.push({ target: param, value: undefined, annotation: param.typeAnnotation.typeAnnotation });
          }
        }
        break;
      case AST_NODE_TYPES.ClassDeclaration:
        if (node.id) this.#localClassNames.add(node.id.name);
        break;
      case AST_NODE_TYPES.CallExpression:
        this.#ownerOf.set(node, owner);
        this.#calls.push(node);
        this.#noteCompiledPrivateMember(node);
        break;
      case AST_NODE_TYPES.VariableDeclaration:
        if (node.kind === 'using' || node.kind === 'await using') {
          this.#ownerOf.set(node, owner);
          for (const declarator of node.declarations) this.#ownerOf.set(declarator, owner);
          this.#usingDeclarations.push(node);
        }
        break;
      case AST_NODE_TYPES.VariableDeclarator:
        this.#kindFacts.push({ target: node.id, value: node.init ?? undefined, annotation: typeAnnotationOf(node.id) });
        break;
      case AST_NODE_TYPES.AssignmentExpression:
        if (node.operator === '=') this.#kindFacts.push({ target: node.left, value: node.right, annotation: undefined });
        break;
      case AST_NODE_TYPES.PropertyDefinition:
        this.#kindFacts.push({ target: node, value: node.value ?? undefined, annotation: node.typeAnnotation?.typeAnnotation });
        break;
      case AST_NODE_TYPES.TSParameterProperty:
        this.#kindFacts.push({ target: node, value: undefined, annotation: typeAnnotationOf(node.parameter) });
        break;
      default:
        break;
    }
    const keys = this.sourceCode.visitorKeys[node.type] ?? [];
    for (const key of keys) {
      // Type-level subtrees hold no calls or declarations to analyse (annotations are read
      // straight from their nodes): skipping them spares much of a TypeScript file's walk.
      if (TYPE_ONLY_KEYS.has(key)) continue;
      const child: unknown = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item) && !LEAF_TYPES.has(item.type)) this.#walk(item, innerOwner);
      } else if (isNode(child) && !LEAF_TYPES.has(child.type)) {
        this.#walk(child, innerOwner);
      }
    }
  }

  /**
   * TypeScript's down-levelled private members: `_C_f.set(this, new Mutex())` initialises
   * `this.#f`; `__classPrivateFieldGet(this, _C_instances, "m", _C_m)` names method `_C_m`.
   */
  #noteCompiledPrivateMember(call: TSESTree.CallExpression): void {
    const callee = call.callee;
    if (
      callee.type === AST_NODE_TYPES.MemberExpression &&
      memberName(callee) === 'set' &&
      callee.object.type === AST_NODE_TYPES.Identifier &&
      call.arguments.length === 2 &&
      call.arguments[0]?.type === AST_NODE_TYPES.ThisExpression
    ) {
      this.#compiledFieldInits.push(call);
      return;
    }
    const access = compiledPrivateAccess(call);
    if (access?.kind === 'm' && access.method) this.#compiledMethodCalls.push({ receiver: access.receiver, method: access.method });
  }

  readonly #compiledFieldInits: TSESTree.CallExpression[] = [];
  readonly #localClassNames = new Set<string>();
  readonly #compiledMethodCalls: Array<{ receiver: TSESTree.Node; method: TSESTree.Identifier }> = [];

  /** After the walk: bind compiled private methods to their class's `this`, and their fields' kinds. */
  #linkCompiledPrivateMembers(): void {
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
    for (const init of this.#compiledFieldInits) {
      const [receiver, value] = init.arguments;
      const store = (init.callee as TSESTree.MemberExpression).object as TSESTree.Identifier;
      const object = receiver && this.resolver.resolve(receiver);
      if (!object || !value) continue;
      this.#kindFacts.push({ target: init, value, annotation: undefined });
      this.#compiledFieldTargets.set(init, makeRef(object.root, [...object.path, `#${store.name}`], `this.#${store.name}`));
    }
  }

  readonly #compiledFieldTargets = new Map<TSESTree.Node, InstanceRef>();

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
    }
  }

  /** The instance a declared name is, straight from its variable (no alias following: a declaration is its own root). */
  #declaredRef(identifier: TSESTree.Identifier): InstanceRef | undefined {
    const variable = this.resolver.variableOf(identifier);
    return variable && makeRef(this.resolver.rootOfVariable(variable), [], identifier.name);
  }

  #nameFunction(fn: FunctionNode, name: string, reachedThrough: InstanceRef | undefined): void {
    this.#functionNames.set(fn, name);
    if (reachedThrough) this.#functionsByKey.set(reachedThrough.key, fn);
  }

  // ---------------------------------------------------------------- kinds

  /** Which instances are stacks or locks, from what the file itself says (two passes for aliases). */
  #recogniseKinds(): void {
    this.#recogniseDeclaredKinds();
    this.#recogniseParameterKinds();
  }

  /**
   * A parameter of a function of the file is of the kind its callers in the file pass
   * (`withLock(this.mutex, cb)` makes `withLock`'s `mutex` a Mutex), so a lock helper's
   * `mutex.acquire()` counts without types. Two rounds reach helpers of helpers.
   */
  #recogniseParameterKinds(): void {
    for (let round = 0; round < 2; round++) {
      let added = false;
      for (const call of this.#calls) {
        if (call.arguments.length === 0) continue;
        const target = this.resolveCallee(call);
        if (!target || target.params.length === 0) continue;
        const args = callArguments(call);
        target.params.forEach((param, index) => {
          const argument = args[index];
          if (param.type !== AST_NODE_TYPES.Identifier || !argument || argument.type === AST_NODE_TYPES.SpreadElement) return;
          const kind = this.kindOfValue(argument);
          const key = kind && this.resolver.resolveKey(param);
          if (kind && key !== undefined && !this.#instanceKinds.has(key)) {
            this.#instanceKinds.set(key, kind);
            added = true;
          }
        });
      }
      if (!added) break;
    }
  }

  #recogniseDeclaredKinds(): void {
    for (let pass = 0; pass < 2; pass++) {
      // Aliases (`kept = stack`, `const next = stack.move()`) can only name a known instance.
      if (pass === 1 && this.#instanceKinds.size === 0) break;
      for (const fact of this.#kindFacts) {
        if (pass === 0 && !fact.annotation && fact.value?.type !== AST_NODE_TYPES.NewExpression && fact.value?.type !== AST_NODE_TYPES.CallExpression) continue;
        const kind =
          (fact.value && this.kindOfValue(fact.value)) ?? (fact.annotation && this.#kindOfAnnotation(fact.annotation));
        if (!kind) continue;
        const target = this.#factTarget(fact.target);
        if (target && !this.#instanceKinds.has(target.key)) this.#instanceKinds.set(target.key, kind);
      }
    }
  }

  #factTarget(target: TSESTree.Node): InstanceRef | undefined {
    const compiledField = this.#compiledFieldTargets.get(target);
    if (compiledField) return compiledField;
    if (target.type === AST_NODE_TYPES.PropertyDefinition) {
      const name = propertyKeyName(target.key, target.computed);
      if (name === undefined) return undefined;
      const root = `${target.static ? 'cs' : 'c'}${this.resolver.idOf(target.parent.parent)}`;
      return makeRef(root, [name], name);
    }
    if (target.type === AST_NODE_TYPES.TSParameterProperty) {
      const parameter = target.parameter;
      if (parameter.type !== AST_NODE_TYPES.Identifier) return undefined;
      // parameter property → constructor function → MethodDefinition → ClassBody → class
      const classNode = target.parent.parent.parent?.parent;
      if (!classNode) return undefined;
      return makeRef(`c${this.resolver.idOf(classNode)}`, [parameter.name], parameter.name);
    }
    return this.resolver.resolve(target);
  }

  /** The kind of a value expression: `new Mutex()`, `withTimeout(new Mutex(), …)`, an alias, `stack.move()`. */
  kindOfValue(value: TSESTree.Node): ResourceKind | undefined {
    switch (value.type) {
      case AST_NODE_TYPES.NewExpression:
        return this.#kindOfConstructor(value.callee);
      case AST_NODE_TYPES.AwaitExpression:
        return this.kindOfValue(value.argument);
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
        return this.kindOfValue(value.expression);
      case AST_NODE_TYPES.CallExpression: {
        if (value.callee.type === AST_NODE_TYPES.Identifier && value.callee.name === 'withTimeout' && value.arguments[0]) {
          return this.kindOfValue(value.arguments[0]);
        }
        if (value.callee.type === AST_NODE_TYPES.MemberExpression && memberName(value.callee) === 'move') {
          const kind = this.kindOfExpression(value.callee.object);
          return kind?.category === 'stack' ? kind : undefined;
        }
        // `__classPrivateFieldGet(this, _C_f, "f")` is the path `this.#f`.
        if (compiledPrivateAccess(value)) {
          const key = this.resolver.resolveKey(value);
          return key === undefined ? undefined : this.#instanceKinds.get(key);
        }
        return undefined;
      }
      default: {
        const instance = this.resolver.resolve(value);
        return instance && this.#instanceKinds.get(instance.key);
      }
    }
  }

  #kindOfConstructor(callee: TSESTree.Node): ResourceKind | undefined {
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const kind = this.registry.byName(callee.name);
      // Only names of kinds and of classes declared in the file need a scope lookup.
      if (!kind && !this.#localClassNames.has(callee.name)) return undefined;
      const variable = this.resolver.variableOf(callee);
      const declaredHere = variable !== undefined && variable.defs.some((def) => def.type !== 'ImportBinding');
      // A built-in name declared in this file (a local `class Mutex`) is someone else's class:
      // its semantics are unknown, so it is not the built-in kind (declare it in `kinds` instead).
      // Imports are trusted whatever the module, as projects re-export async-mutex.
      if (kind && !(kind.builtIn && declaredHere)) return kind;
      return declaredHere && variable.defs.some((def) => def.type === 'ClassName') ? OPAQUE_KIND : undefined;
    }
    if (callee.type === AST_NODE_TYPES.MemberExpression) {
      // `new asyncMutex.Mutex()`, `new async_mutex_1.Mutex()` (compiled CommonJS).
      const name = memberName(callee);
      return name === undefined ? undefined : this.registry.byName(name);
    }
    return undefined;
  }

  #kindOfAnnotation(annotation: TSESTree.TypeNode): ResourceKind | undefined {
    if (annotation.type === AST_NODE_TYPES.TSUnionType) {
      for (const member of annotation.types) {
        const kind = this.#kindOfAnnotation(member);
        if (kind) return kind;
      }
      return undefined;
    }
    if (annotation.type !== AST_NODE_TYPES.TSTypeReference) return undefined;
    const typeName = annotation.typeName;
    if (typeName.type === AST_NODE_TYPES.Identifier) {
      const kind = this.registry.byName(typeName.name);
      if (kind?.builtIn) {
        const variable = this.resolver.variableOf(typeName);
        if (variable && variable.defs.some((def) => def.type !== 'ImportBinding')) return undefined;
      }
      return kind;
    }
    if (typeName.type === AST_NODE_TYPES.TSQualifiedName) return this.registry.byName(typeName.right.name);
    return undefined;
  }

  /** The kind of an instance expression: what the file says, else (with types) what its type says. */
  kindOfExpression(expression: TSESTree.Node): ResourceKind | undefined {
    const instance = this.resolver.resolve(expression);
    const known = instance && this.#instanceKinds.get(instance.key);
    return known ?? this.#kindFromType(expression);
  }

  /**
   * With type information only: the kind named by the expression's type. A built-in name counts
   * only when declared in a declaration file (lib or a package), matching the syntactic rule that
   * a local `class Mutex` is not async-mutex's. Types only add instances, never remove one.
   */
  #kindFromType(expression: TSESTree.Node): ResourceKind | undefined {
    const services = this.#types;
    if (!services) return undefined;
    let type: ts.Type;
    try {
      type = services.getTypeAtLocation(expression);
    } catch {
      return undefined;
    }
    const candidates = type.isUnion() ? type.types : [type];
    for (const candidate of candidates) {
      const symbol = candidate.aliasSymbol ?? candidate.getSymbol();
      if (!symbol) continue;
      const kind = this.registry.byName(symbol.getName());
      if (!kind) continue;
      const declarations = symbol.getDeclarations() ?? [];
      if (kind.builtIn && !declarations.every((declaration) => declaration.getSourceFile().isDeclarationFile)) continue;
      return kind;
    }
    return undefined;
  }

  // ---------------------------------------------------------------- call graph

  /** Every call expression of the file, in source order. */
  calls(): readonly TSESTree.CallExpression[] {
    return this.#calls;
  }

  /** True when the function has a name a reader can find (declaration, method, `const`). */
  hasName(fn: FunctionNode): boolean {
    return this.#functionNames.has(fn);
  }

  functionName(fn: Owner): string {
    if (fn.type === AST_NODE_TYPES.Program) return '(module)';
    return this.#functionNames.get(fn) ?? '(anonymous function)';
  }

  ownerOf(node: TSESTree.Node): Owner {
    return this.#ownerOf.get(node) ?? this.sourceCode.ast;
  }

  /**
   * The in-file function a call runs, if any: `f()`, `this.m()`, `this.#m()`, `obj.m()`, or a
   * parameter bound to a callback by the caller (`bindings`).
   */
  resolveCallee(call: TSESTree.CallExpression, bindings: Bindings = EMPTY_BINDINGS): FunctionNode | undefined {
    // Without caller bindings the answer depends on the call alone: memoise it (the wrapper
    // fixpoint and every rule ask again for the same calls).
    if (bindings === EMPTY_BINDINGS) {
      if (this.#calleeMemo.has(call)) return this.#calleeMemo.get(call);
      const target = this.#resolveCalleeUncached(call, bindings);
      this.#calleeMemo.set(call, target);
      return target;
    }
    return this.#resolveCalleeUncached(call, bindings);
  }

  readonly #calleeMemo = new Map<TSESTree.CallExpression, FunctionNode | undefined>();

  #resolveCalleeUncached(call: TSESTree.CallExpression, bindings: Bindings): FunctionNode | undefined {
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
    const key = this.resolver.resolveKey(callee);
    if (key === undefined) return undefined;
    return bindings.functions.get(key) ?? this.#functionsByKey.get(key);
  }

  /** Arguments of a call as the callee's parameters see them (instances and callbacks). */
  bindingsFor(callee: FunctionNode, call: TSESTree.CallExpression, outer: Bindings): Bindings {
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
      const outerFunction = outer.functions.get(instance.key);
      const inFile = this.#functionsByKey.get(instance.key);
      if (outerFunction ?? inFile) {
        functions.set(root, (outerFunction ?? inFile) as FunctionNode);
        return;
      }
      instances.set(root, substituteRoot(instance, outer.instances));
    });
    return { instances, functions };
  }

  // ---------------------------------------------------------------- acquisitions

  /** Every acquisition in the file (reentrant kinds excluded), wrapper calls included. */
  acquisitions(): readonly Acquisition[] {
    if (!this.#acquisitions) this.#computeAcquisitions();
    return this.#acquisitions ?? [];
  }

  #computeAcquisitions(): void {
    const direct: Acquisition[] = [];
    for (const call of this.#calls) {
      const acquisition = this.#acquisitionOfCall(call);
      if (acquisition) direct.push(acquisition);
    }
    for (const declaration of this.#usingDeclarations) direct.push(...this.#acquisitionsOfUsing(declaration));
    this.#markInlineCallbacks(direct);
    for (const call of this.#calls) {
      const method = call.callee.type === AST_NODE_TYPES.MemberExpression ? memberName(call.callee) : undefined;
      if (method === undefined || !SYNC_CALLBACK_METHODS.has(method)) continue;
      for (const argument of call.arguments) if (isFunctionNode(argument)) this.#inlineRunner.set(argument, call);
    }
    // Wrappers ("runs its callback while holding X") depend on acquisitions, and wrapper calls
    // are acquisitions: iterate to a fixpoint, bounded because summaries only grow.
    this.#wrappers = new Map();
    let acquisitions = direct;
    for (let round = 0; round < 8; round++) {
      this.#acquisitions = acquisitions;
      const wrappers = this.#computeWrappers(acquisitions);
      const changed = countSummaries(wrappers) !== countSummaries(this.#wrappers);
      this.#wrappers = wrappers;
      acquisitions = [...direct, ...this.#wrapperCalls()];
      this.#markInlineCallbacks(acquisitions);
      if (!changed) break;
    }
    this.#acquisitions = acquisitions;
  }

  /**
   * A held callback written inline runs as part of its caller; a named function passed as the
   * callback may be called elsewhere too, so it is explored as a call instead (see the rules).
   */
  #markInlineCallbacks(acquisitions: readonly Acquisition[]): void {
    for (const acquisition of acquisitions) {
      const call = acquisition.node;
      if (acquisition.heldCallback && call.type === AST_NODE_TYPES.CallExpression && call.arguments.some((argument) => unwrapExpression(argument) === acquisition.heldCallback)) {
        this.#inlineRunner.set(acquisition.heldCallback, call);
      }
    }
  }

  /** True when the acquisition's callback is a named in-file function rather than written inline. */
  hasNamedCallback(acquisition: Acquisition): boolean {
    return acquisition.heldCallback !== undefined && !this.#inlineRunner.has(acquisition.heldCallback);
  }

  #acquisitionOfCall(call: TSESTree.CallExpression): Acquisition | undefined {
    const callee = unwrapExpression(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const method = memberName(callee);
    if (method === undefined) return undefined;
    if (method === 'request' && isLocksObject(callee.object)) return this.#webLockAcquisition(call, this.ownerOf(call));
    // Cheap name check before any scope or type lookup: most calls stop here.
    const cheapCandidate = method === UNTYPED_SCOPED_METHOD || this.registry.isLockMethodName(method);
    if (!cheapCandidate) return undefined;
    const owner = this.ownerOf(call);
    const instance = this.resolver.resolve(callee.object);
    if (!instance) return undefined;
    const kind = this.kindOfExpression(callee.object);
    if (kind?.reentrant) return undefined;
    const scoped = kind ? kind.scopedMethods.includes(method) : method === UNTYPED_SCOPED_METHOD;
    if (scoped) {
      const callbackArgument = call.arguments.find((argument) => isFunctionNode(argument)) ?? (method === UNTYPED_SCOPED_METHOD ? call.arguments[0] : call.arguments.at(-1));
      const heldCallback = callbackArgument && this.#callbackFunction(callbackArgument);
      return { node: call, instance, form: 'scoped', effect: 'lock', owner, ...(heldCallback ? { heldCallback } : {}) };
    }
    if (kind?.acquireMethods.includes(method)) {
      return { node: call, instance, form: 'acquire', effect: 'lock', owner, heldRange: this.#acquireRange(call, instance, kind, owner) };
    }
    return undefined;
  }

  /** A callback argument as a function node: inline, or an in-file function it names. */
  #callbackFunction(argument: TSESTree.Node): FunctionNode | undefined {
    const unwrapped = unwrapExpression(argument);
    if (isFunctionNode(unwrapped)) return unwrapped;
    const instance = this.resolver.resolve(unwrapped);
    return instance && this.#functionsByKey.get(instance.key);
  }

  /** `navigator.locks.request(name, [options,] cb)` with a constant name; `ifAvailable`/`steal` never wait. */
  #webLockAcquisition(call: TSESTree.CallExpression, owner: Owner): Acquisition | undefined {
    const [nameArgument, second] = call.arguments;
    if (!nameArgument) return undefined;
    const name = this.#constantLockName(nameArgument, 0);
    if (name === undefined) return undefined;
    if (call.arguments.length >= 3 && second?.type === AST_NODE_TYPES.ObjectExpression) {
      const neverWaits = second.properties.some(
        (property) =>
          property.type === AST_NODE_TYPES.Property &&
          ['ifAvailable', 'steal'].includes(propertyKeyName(property.key, property.computed) ?? '') &&
          property.value.type === AST_NODE_TYPES.Literal &&
          property.value.value === true,
      );
      if (neverWaits) return undefined;
    }
    const callbackArgument = call.arguments.at(-1);
    const heldCallback = callbackArgument && call.arguments.length >= 2 ? this.#callbackFunction(callbackArgument) : undefined;
    // The key holds resolved ids; the label shows what the source wrote for a template name.
    const label = nameArgument.type === AST_NODE_TYPES.TemplateLiteral && nameArgument.expressions.length > 0 ? `lock ${this.sourceCode.getText(nameArgument)}` : `lock "${name}"`;
    const instance = makeRef(`w:${name}`, [], label);
    return { node: call, instance, form: 'webLock', effect: 'lock', owner, ...(heldCallback ? { heldCallback } : {}) };
  }

  /** A literal, a template of literals and instance paths, or a `const` holding one. */
  #constantLockName(node: TSESTree.Node, depth: number): string | undefined {
    if (depth > 5) return undefined;
    if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
    if (node.type === AST_NODE_TYPES.TemplateLiteral) {
      let text = node.quasis[0]?.value.cooked ?? '';
      for (const [index, expression] of node.expressions.entries()) {
        const part = this.#constantLockName(expression, depth + 1) ?? this.resolver.resolve(expression)?.key;
        if (part === undefined) return undefined;
        text += `\${${part}}${node.quasis[index + 1]?.value.cooked ?? ''}`;
      }
      return text;
    }
    if (node.type === AST_NODE_TYPES.Identifier) {
      const variable = this.resolver.variableOf(node);
      const def = variable?.defs[0];
      if (variable?.defs.length === 1 && def?.type === 'Variable' && def.parent.kind === 'const' && def.node.init) {
        return this.#constantLockName(def.node.init, depth + 1);
      }
    }
    return undefined;
  }

  /**
   * From `acquire()` to the first later release in the same function: the returned releaser
   * (`const release = await m.acquire()`, `const [, release] = await sem.acquire()`) or a
   * release method on the same instance. Without one the lock is held to the function's end.
   */
  #acquireRange(call: TSESTree.CallExpression, instance: InstanceRef, kind: ResourceKind, owner: Owner): [number, number] {
    let holder: TSESTree.Node = call;
    while (holder.parent?.type === AST_NODE_TYPES.AwaitExpression) holder = holder.parent;
    let releaserRoot: string | undefined;
    const binding = holder.parent;
    if (binding?.type === AST_NODE_TYPES.VariableDeclarator && binding.init === holder) {
      const releaser =
        binding.id.type === AST_NODE_TYPES.Identifier
          ? binding.id
          : binding.id.type === AST_NODE_TYPES.ArrayPattern
            ? binding.id.elements[1]
            : undefined;
      if (releaser?.type === AST_NODE_TYPES.Identifier) releaserRoot = this.resolver.resolve(releaser)?.key;
    }
    let end = owner.range[1];
    for (const candidate of this.#calls) {
      if (candidate.range[0] < call.range[1] || candidate.range[0] >= end || !owner.range) continue;
      if (this.#effectiveOwner(candidate) !== this.#effectiveOwner(call)) continue;
      const callee = unwrapExpression(candidate.callee);
      const releases =
        (releaserRoot !== undefined && callee.type === AST_NODE_TYPES.Identifier && this.resolver.resolveKey(callee) === releaserRoot) ||
        (callee.type === AST_NODE_TYPES.MemberExpression &&
          kind.releaseMethods.includes(memberName(callee) ?? '') &&
          this.resolver.resolveKey(callee.object) === instance.key);
      if (releases) end = candidate.range[0];
    }
    return [call.range[1], end];
  }

  #acquisitionsOfUsing(declaration: TSESTree.VariableDeclaration): Acquisition[] {
    const owner = this.ownerOf(declaration);
    const scope = declaration.parent;
    // `for (using x of xs)` holds for the loop body; otherwise to the end of the enclosing block.
    const end =
      scope.type === AST_NODE_TYPES.ForOfStatement || scope.type === AST_NODE_TYPES.ForStatement
        ? scope.body.range[1]
        : scope.range[1];
    const result: Acquisition[] = [];
    for (const declarator of declaration.declarations) {
      const init = declarator.init && unwrapExpression(declarator.init);
      const boundExisting = init && isPathExpression(init) ? this.resolver.resolve(init) : undefined;
      const instance = boundExisting ?? this.resolver.resolve(declarator.id);
      if (!instance) continue;
      result.push({ node: declarator, instance, form: 'using', effect: 'dispose', owner, heldRange: [declaration.range[1], end] });
    }
    return result;
  }

  /** The function whose execution runs `node`: its owner, climbing out of inline-run callbacks. */
  #effectiveOwner(node: TSESTree.Node): Owner {
    let owner = this.ownerOf(node);
    for (let guard = 0; guard < 100 && owner.type !== AST_NODE_TYPES.Program; guard++) {
      const runner = this.#inlineRunner.get(owner);
      if (!runner) break;
      owner = this.ownerOf(runner);
    }
    return owner;
  }

  /**
   * Every acquisition holding at `node`: those of its own function whose held range contains it,
   * then, climbing out of callbacks run inline (held callbacks, `arr.map(cb)`), those holding at
   * the call that runs the callback.
   */
  heldAt(node: TSESTree.Node): Acquisition[] {
    const held: Acquisition[] = [];
    let current: TSESTree.Node = node;
    for (let guard = 0; guard < 100; guard++) {
      const owner = this.ownerOf(current);
      for (const acquisition of this.#acquisitionsOwnedBy(owner)) {
        if (!acquisition.heldRange) continue;
        if (current.range[0] >= acquisition.heldRange[0] && current.range[1] <= acquisition.heldRange[1]) held.push(acquisition);
      }
      if (owner.type === AST_NODE_TYPES.Program) break;
      const runner = this.#inlineRunner.get(owner);
      if (!runner) break;
      for (const acquisition of this.#acquisitionsOwnedBy(this.ownerOf(runner))) {
        if (acquisition.node === runner && acquisition.heldCallback === owner) held.push(acquisition);
      }
      current = runner;
    }
    return held;
  }

  #byOwner: { source: readonly Acquisition[]; map: Map<Owner, Acquisition[]> } | undefined;

  #acquisitionsOwnedBy(owner: Owner): readonly Acquisition[] {
    const source = this.#acquisitions ?? [];
    if (this.#byOwner?.source !== source) {
      const map = new Map<Owner, Acquisition[]>();
      for (const acquisition of source) {
        const list = map.get(acquisition.owner) ?? [];
        list.push(acquisition);
        map.set(acquisition.owner, list);
      }
      this.#byOwner = { source, map };
    }
    return this.#byOwner.map.get(owner) ?? [];
  }

  /** Calls and acquisitions that run when `fn` runs (its own, and those of its inline callbacks). */
  runBy(fn: FunctionNode): { calls: readonly TSESTree.CallExpression[]; acquisitions: readonly Acquisition[] } {
    // Indexed once (after the acquisitions are final): exploration asks for many functions.
    if (!this.#runByIndex) {
      const index = new Map<Owner, { calls: TSESTree.CallExpression[]; acquisitions: Acquisition[] }>();
      const entry = (owner: Owner): { calls: TSESTree.CallExpression[]; acquisitions: Acquisition[] } => {
        let found = index.get(owner);
        if (!found) {
          found = { calls: [], acquisitions: [] };
          index.set(owner, found);
        }
        return found;
      };
      for (const acquisition of this.acquisitions()) entry(this.#effectiveOwner(acquisition.node)).acquisitions.push(acquisition);
      for (const call of this.#calls) entry(this.#effectiveOwner(call)).calls.push(call);
      this.#runByIndex = index;
    }
    return this.#runByIndex.get(fn) ?? { calls: [], acquisitions: [] };
  }

  #runByIndex: Map<Owner, { calls: TSESTree.CallExpression[]; acquisitions: Acquisition[] }> | undefined;

  // ---------------------------------------------------------------- wrappers

  #computeWrappers(acquisitions: readonly Acquisition[]): Map<FunctionNode, WrapperSummary[]> {
    const wrappers = new Map<FunctionNode, WrapperSummary[]>();
    const add = (fn: FunctionNode, summary: WrapperSummary): void => {
      const list = wrappers.get(fn) ?? [];
      if (!list.some((known) => known.instance.key === summary.instance.key && known.callbackIndex === summary.callbackIndex)) {
        list.push(summary);
      }
      wrappers.set(fn, list);
    };
    // (a) `return lock.runExclusive(callback)` with `callback` a parameter.
    for (const acquisition of acquisitions) {
      if (acquisition.form !== 'scoped' && acquisition.form !== 'webLock' && acquisition.form !== 'wrapper') continue;
      const call = acquisition.node as TSESTree.CallExpression;
      const fn = this.#effectiveOwner(call);
      if (fn.type === AST_NODE_TYPES.Program) continue;
      for (const argument of call.arguments) {
        const parameter = this.#parameterIndex(argument, fn);
        if (parameter === undefined) continue;
        const isCallbackSlot = acquisition.form !== 'wrapper' || this.#wrapperCallbackIndexes(call).includes(callArguments(call).indexOf(argument));
        if (isCallbackSlot) add(fn, { instance: acquisition.instance, callbackIndex: parameter, effect: acquisition.effect, via: [this.functionName(fn), ...(acquisition.via ?? [])] });
      }
    }
    // (b) `callback()` called while the function holds an instance.
    for (const call of this.#calls) {
      const fn = this.#effectiveOwner(call);
      if (fn.type === AST_NODE_TYPES.Program) continue;
      const parameter = this.#parameterIndex(call.callee, fn);
      if (parameter === undefined) continue;
      for (const held of this.heldAt(call)) {
        add(fn, { instance: held.instance, callbackIndex: parameter, effect: held.effect, via: [this.functionName(fn), ...(held.via ?? [])] });
      }
    }
    return wrappers;
  }

  #wrapperCallbackIndexes(call: TSESTree.CallExpression): number[] {
    const target = this.resolveCallee(call);
    return (target && this.#wrappers?.get(target)?.map((summary) => summary.callbackIndex)) ?? [];
  }

  /** Calls to wrappers, seen as acquisitions of the wrapped instance in the caller's context. */
  #wrapperCalls(): Acquisition[] {
    const result: Acquisition[] = [];
    for (const call of this.#calls) {
      const target = this.resolveCallee(call);
      const summaries = target && this.#wrappers?.get(target);
      if (!target || !summaries) continue;
      const bindings = this.bindingsFor(target, call, EMPTY_BINDINGS);
      for (const summary of summaries) {
        const instance = substituteRoot(summary.instance, bindings.instances);
        if (this.resolver.parameterRoot(instance.root)?.fn === target) continue; // argument not a known instance
        const callbackArgument = callArguments(call)[summary.callbackIndex];
        const heldCallback = callbackArgument && this.#callbackFunction(callbackArgument);
        result.push({
          node: call,
          instance,
          form: 'wrapper',
          effect: summary.effect,
          owner: this.ownerOf(call),
          via: summary.via,
          ...(heldCallback ? { heldCallback } : {}),
        });
      }
    }
    return result;
  }

  #parameterIndex(expression: TSESTree.Node, fn: FunctionNode): number | undefined {
    const unwrapped = unwrapExpression(expression);
    if (unwrapped.type !== AST_NODE_TYPES.Identifier) return undefined;
    // Cheap: only a name one of the parameters has can be one of them.
    const name = unwrapped.name;
    const named = fn.params.some(
      (param) =>
        (param.type === AST_NODE_TYPES.Identifier && param.name === name) ||
        (param.type === AST_NODE_TYPES.AssignmentPattern && param.left.type === AST_NODE_TYPES.Identifier && param.left.name === name),
    );
    if (!named) return undefined;
    const key = this.resolver.resolveKey(unwrapped);
    const parameter = key === undefined ? undefined : this.resolver.parameterRoot(key);
    return parameter?.fn === fn ? parameter.index : undefined;
  }

  // ---------------------------------------------------------------- stacks

  /** True when the expression is a `DisposableStack` / `AsyncDisposableStack` the file or types know. */
  isStack(expression: TSESTree.Node): boolean {
    if (!this.#types && !this.#mayNameStack(expression)) return false;
    return this.kindOfExpression(expression)?.category === 'stack';
  }

  #stackNames: Set<string> | undefined;

  /**
   * Without types a stack is one of the instances the file itself marks as a stack: the last
   * name of its path must be one of theirs. A string check that spares most scope lookups.
   */
  #mayNameStack(expression: TSESTree.Node): boolean {
    if (!this.#stackNames) {
      this.#stackNames = new Set();
      for (const [key, kind] of this.#instanceKinds) {
        if (kind.category === 'stack') this.#stackNames.add(key.slice(key.lastIndexOf('.') + 1));
      }
    }
    const unwrapped = unwrapExpression(expression);
    if (unwrapped.type === AST_NODE_TYPES.Identifier) return true; // roots are ids, not names: check fully
    if (unwrapped.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(unwrapped);
      return name !== undefined && this.#stackNames.has(name);
    }
    return compiledPrivateAccess(unwrapped) !== undefined;
  }

  /** True for `stack.use(…)`-style calls: methods that throw on a disposed stack. */
  static isStackUseMethod(name: string): boolean {
    return STACK_USE_METHODS.has(name);
  }
}

export interface Bindings {
  /** Parameter root → the caller's instance. */
  readonly instances: ReadonlyMap<string, InstanceRef>;
  /** Parameter root (or function path) → the callback function the caller passed. */
  readonly functions: ReadonlyMap<string, FunctionNode>;
}

export const EMPTY_BINDINGS: Bindings = { instances: new Map(), functions: new Map() };

/** `something.call(thisArg, …)`. */
function isDotCall(call: TSESTree.CallExpression): boolean {
  const callee = unwrapExpression(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && memberName(callee) === 'call' && call.arguments.length > 0;
}

/** The arguments the called function's parameters receive (`f.call(self, a)` → `[a]`). */
export function callArguments(call: TSESTree.CallExpression): readonly TSESTree.CallExpressionArgument[] {
  return isDotCall(call) ? call.arguments.slice(1) : call.arguments;
}

function countSummaries(wrappers: Map<FunctionNode, WrapperSummary[]> | undefined): number {
  let count = 0;
  for (const list of wrappers?.values() ?? []) count += list.length;
  return count;
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export function unwrapExpression(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  for (;;) {
    if (current.type === AST_NODE_TYPES.AwaitExpression) current = current.argument;
    else if (
      current.type === AST_NODE_TYPES.ChainExpression ||
      current.type === AST_NODE_TYPES.TSNonNullExpression ||
      current.type === AST_NODE_TYPES.TSAsExpression
    ) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

export function isPathExpression(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.Identifier ||
    node.type === AST_NODE_TYPES.MemberExpression ||
    node.type === AST_NODE_TYPES.ThisExpression
  );
}

function typeAnnotationOf(node: TSESTree.Node): TSESTree.TypeNode | undefined {
  return 'typeAnnotation' in node && node.typeAnnotation && node.typeAnnotation.type === AST_NODE_TYPES.TSTypeAnnotation
    ? node.typeAnnotation.typeAnnotation
    : undefined;
}

function propertyKeyName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  if (!computed && key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') return key.value;
  return undefined;
}

/** `navigator.locks`, `globalThis.navigator.locks`, `window.navigator.locks`. */
function isLocksObject(node: TSESTree.Node): boolean {
  const unwrapped = unwrapExpression(node);
  if (unwrapped.type !== AST_NODE_TYPES.MemberExpression || memberName(unwrapped) !== 'locks') return false;
  const navigator = unwrapExpression(unwrapped.object);
  if (navigator.type === AST_NODE_TYPES.Identifier) return navigator.name === 'navigator';
  return navigator.type === AST_NODE_TYPES.MemberExpression && memberName(navigator) === 'navigator';
}

// ---------------------------------------------------------------- cheap pre-checks

/**
 * True when the file may contain an acquisition the rules recognise; false lets a rule return
 * before any traversal. Text tests first; a `using` declaration is confirmed on the token list
 * (comments and prose say "using" all the time).
 */
export function mayContainAcquisition(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, typed: boolean): boolean {
  const text = sourceCode.text;
  if (!containsAny(text, registry.candidateWords)) return false;
  // With types any `acquire()` receiver may turn out to be a Mutex declared elsewhere.
  if (typed) return true;
  if (containsAny(text, registry.scopedCallWords)) return true;
  if (containsAny(text, registry.acquireCallWords) && containsAny(text, registry.kindNameWords)) return true;
  return text.includes('using') && hasUsingDeclaration(sourceCode.ast.tokens);
}

/** `using x =`, `await using x =`, `for (using x of …)` in the token list. */
function hasUsingDeclaration(tokens: readonly TSESTree.Token[]): boolean {
  for (let index = 0; index < tokens.length - 2; index++) {
    if (tokens[index]?.value !== 'using') continue;
    const name = tokens[index + 1];
    const after = tokens[index + 2];
    if (name?.type === AST_TOKEN_TYPES.Identifier && (after?.value === '=' || after?.value === 'of')) return true;
  }
  return false;
}

// ---------------------------------------------------------------- per-file cache

const cache = new WeakMap<object, Map<string, FileAnalysis>>();

/**
 * The shared analysis of the file being linted, for one set of user kinds: every rule (and every
 * later rule) that asks with the same kinds gets the same object.
 */
export function getFileAnalysis(
  sourceCode: Readonly<TSESLint.SourceCode>,
  registry: KindRegistry,
  types: TypeServices,
): FileAnalysis {
  let byOptions = cache.get(sourceCode.ast);
  if (!byOptions) {
    byOptions = new Map();
    cache.set(sourceCode.ast, byOptions);
  }
  const key = `${registry.cacheKey}|${types ? 'typed' : 'untyped'}`;
  let analysis = byOptions.get(key);
  if (!analysis) {
    analysis = new FileAnalysis(sourceCode, registry, types);
    byOptions.set(key, analysis);
    buildCounts.set(sourceCode.ast, (buildCounts.get(sourceCode.ast) ?? 0) + 1);
  }
  return analysis;
}

const buildCounts = new WeakMap<object, number>();

/** For tests: how many analyses were built for a Program (proves the rules share one). */
export function analysisBuildCount(program: object): number {
  return buildCounts.get(program) ?? 0;
}
