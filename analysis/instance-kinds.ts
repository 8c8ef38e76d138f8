import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import type { CallGraph } from './call-graph.js';
import { callArguments, propertyKeyName, unwrapExpression } from './call-graph.js';
import type { InstanceRef } from './instance-identity.js';
import { compiledPrivateAccess, makeRef, memberName } from './instance-identity.js';
import type { KindRegistry, ResourceKind } from './resource-kinds.js';
import { OPAQUE_KIND } from './resource-kinds.js';
import type { TypeServices } from './type-services.js';

/**
 * Which instances of the file are stacks or locks, and how many holders a lock admits: from
 * constructors, annotations, aliases, what callers pass to parameters, and (when present) types.
 */

interface KindFact {
  readonly target: TSESTree.Node;
  readonly value: TSESTree.Node | undefined;
  readonly annotation: TSESTree.TypeNode | undefined;
}

/** A capacity the rules cannot read (`new Semaphore(limit)`): see `capacityOf`. */
export const UNKNOWN_CAPACITY = Number.POSITIVE_INFINITY;

export class InstanceKinds {
  readonly #graph: CallGraph;
  readonly #registry: KindRegistry;
  readonly #types: TypeServices;
  /** Instance key → kind. */
  readonly #kinds = new Map<string, ResourceKind>();
  /** The last name of every key in `#kinds` (`c3.mutex` → `mutex`): a member path ending otherwise has no kind. */
  readonly #lastNames = new Set<string>();
  /** Instance key → how many holders it admits at once, when the constructor says so. */
  readonly #capacities = new Map<string, number>();
  readonly #localClassNames = new Set<string>();
  readonly #compiledFieldTargets = new Map<TSESTree.Node, InstanceRef>();
  #stackNames: Set<string> | undefined;

  constructor(graph: CallGraph, registry: KindRegistry, types: TypeServices) {
    this.#graph = graph;
    this.#registry = registry;
    this.#types = types;
    for (const declaration of graph.nodesOfType(AST_NODE_TYPES.ClassDeclaration)) {
      if (declaration.id) this.#localClassNames.add(declaration.id.name);
    }
    const facts = this.#collectFacts();
    this.#recogniseDeclaredKinds(facts);
    this.#recogniseParameterKinds();
  }

  /** The kind of an instance expression: what the file says, else (with types) what its type says. */
  kindOfExpression(expression: TSESTree.Node): ResourceKind | undefined {
    const key = this.#graph.resolver.resolveKey(expression);
    const known = key === undefined ? undefined : this.#kinds.get(key);
    return known ?? this.#kindFromType(expression);
  }

  /**
   * How many holders `instance` admits at once: 1 for a mutex, a Web Lock or a user kind; the
   * literal `n` of `new Semaphore(n)` (Deno std's `new Semaphore()` admits 1). A semaphore whose
   * capacity the file does not spell is `UNKNOWN_CAPACITY`: semaphores exist to admit several
   * holders, so the rule does not claim a nesting it cannot count waits for itself.
   */
  capacityOf(instanceKey: string, kind: ResourceKind | undefined): number {
    const known = this.#capacities.get(instanceKey);
    if (known !== undefined) return known;
    return kind?.name === 'Semaphore' && kind.builtIn ? UNKNOWN_CAPACITY : 1;
  }

  /** True when the expression is a `DisposableStack` / `AsyncDisposableStack` the file or types know. */
  isStack(expression: TSESTree.Node): boolean {
    if (!this.#types && !this.#mayNameStack(expression)) return false;
    return this.kindOfExpression(expression)?.category === 'stack';
  }

  /** True when some instance of the file is known to be a stack. */
  get knowsAnyStack(): boolean {
    return this.#stackNameSet().size > 0;
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
          const key = this.#graph.resolver.resolveKey(value);
          return key === undefined ? undefined : this.#kinds.get(key);
        }
        return undefined;
      }
      default:
        return this.#kindOfPath(value);
    }
  }

  /**
   * The kind recorded for a path expression. Most arguments and values are paths of no kind: an
   * empty table, or a member name no key ends with, answers without resolving anything.
   */
  #kindOfPath(value: TSESTree.Node): ResourceKind | undefined {
    if (this.#kinds.size === 0) return undefined;
    if (value.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(value);
      if (name === undefined) return undefined;
      // A key's last name is what follows its last dot: `a['x.y']` cannot be told apart that way.
      if (!this.#lastNames.has(name) && !name.includes('.')) return undefined;
    }
    const key = this.#graph.resolver.resolveKey(value);
    return key === undefined ? undefined : this.#kinds.get(key);
  }

  #setKind(key: string, kind: ResourceKind): void {
    this.#kinds.set(key, kind);
    this.#lastNames.add(key.slice(key.lastIndexOf('.') + 1));
  }

  // ---------------------------------------------------------------- collection

  #collectFacts(): KindFact[] {
    const facts: KindFact[] = [];
    for (const declarator of this.#graph.nodesOfType(AST_NODE_TYPES.VariableDeclarator)) {
      facts.push({ target: declarator.id, value: declarator.init ?? undefined, annotation: typeAnnotationOf(declarator.id) });
    }
    for (const assignment of this.#graph.nodesOfType(AST_NODE_TYPES.AssignmentExpression)) {
      if (assignment.operator === '=') facts.push({ target: assignment.left, value: assignment.right, annotation: undefined });
    }
    for (const property of this.#graph.nodesOfType(AST_NODE_TYPES.PropertyDefinition)) {
      facts.push({ target: property, value: property.value ?? undefined, annotation: property.typeAnnotation?.typeAnnotation });
    }
    for (const parameter of this.#graph.nodesOfType(AST_NODE_TYPES.TSParameterProperty)) {
      facts.push({ target: parameter, value: undefined, annotation: typeAnnotationOf(parameter.parameter) });
    }
    // A parameter with a type annotation: `function f(stack: DisposableStack)`.
    for (const fn of this.#graph.functions) {
      for (const param of fn.params) {
        if (param.type === AST_NODE_TYPES.Identifier && param.typeAnnotation) {
          facts.push({ target: param, value: undefined, annotation: param.typeAnnotation.typeAnnotation });
        }
      }
    }
    // TypeScript's down-levelled `this.#f = value`: `_C_f.set(this, value)`.
    for (const call of this.#graph.calls) {
      const callee = call.callee;
      if (
        callee.type !== AST_NODE_TYPES.MemberExpression ||
        memberName(callee) !== 'set' ||
        callee.object.type !== AST_NODE_TYPES.Identifier ||
        call.arguments.length !== 2 ||
        call.arguments[0]?.type !== AST_NODE_TYPES.ThisExpression
      ) {
        continue;
      }
      const [receiver, value] = call.arguments;
      const object = this.#graph.resolver.resolve(receiver);
      if (!object || !value) continue;
      const store = callee.object.name;
      facts.push({ target: call, value, annotation: undefined });
      this.#compiledFieldTargets.set(call, makeRef(object.root, [...object.path, `#${store}`], `this.#${store}`));
    }
    // Source order: when two facts disagree, the first one written wins.
    return facts.sort((a, b) => a.target.range[0] - b.target.range[0]);
  }

  /** Two passes: aliases (`kept = stack`, `const next = stack.move()`) can only name a known instance. */
  #recogniseDeclaredKinds(facts: readonly KindFact[]): void {
    for (let pass = 0; pass < 2; pass++) {
      if (pass === 1 && this.#kinds.size === 0) break;
      for (const fact of facts) {
        if (pass === 0 && !fact.annotation && fact.value?.type !== AST_NODE_TYPES.NewExpression && fact.value?.type !== AST_NODE_TYPES.CallExpression) continue;
        const kind = (fact.value && this.kindOfValue(fact.value)) ?? (fact.annotation && this.#kindOfAnnotation(fact.annotation));
        if (!kind) continue;
        const target = this.#factTarget(fact.target);
        if (!target || this.#kinds.has(target.key)) continue;
        this.#setKind(target.key, kind);
        const capacity = fact.value && capacityOfConstruction(fact.value);
        if (capacity !== undefined) this.#capacities.set(target.key, capacity);
      }
    }
  }

  /**
   * A parameter of a function of the file is of the kind its callers in the file pass
   * (`withLock(this.mutex, cb)` makes `withLock`'s `mutex` a Mutex), so a lock helper's
   * `mutex.acquire()` counts without types. Two rounds reach helpers of helpers.
   */
  #recogniseParameterKinds(): void {
    for (let round = 0; round < 2; round++) {
      let added = false;
      for (const call of this.#graph.calls) {
        // Resolving the callee costs more than looking at the arguments: a call none of whose
        // arguments has a kind gives none to its callee's parameters (an argument's kind can only
        // change through the parameters this same call would set, so none does).
        if (!call.arguments.some((argument) => argument.type !== AST_NODE_TYPES.SpreadElement && this.kindOfValue(argument) !== undefined)) continue;
        const target = this.#graph.calleeOf(call);
        if (!target || target.params.length === 0) continue;
        const args = callArguments(call);
        target.params.forEach((param, index) => {
          const argument = args[index];
          if (param.type !== AST_NODE_TYPES.Identifier || !argument || argument.type === AST_NODE_TYPES.SpreadElement) return;
          const kind = this.kindOfValue(argument);
          const key = kind && this.#graph.resolver.resolveKey(param);
          if (kind && key !== undefined && !this.#kinds.has(key)) {
            this.#setKind(key, kind);
            const argumentKey = this.#graph.resolver.resolveKey(argument);
            const capacity = argumentKey === undefined ? undefined : this.#capacities.get(argumentKey);
            if (capacity !== undefined) this.#capacities.set(key, capacity);
            added = true;
          }
        });
      }
      if (!added) break;
    }
  }

  #factTarget(target: TSESTree.Node): InstanceRef | undefined {
    const compiledField = this.#compiledFieldTargets.get(target);
    if (compiledField) return compiledField;
    if (target.type === AST_NODE_TYPES.PropertyDefinition) {
      const name = propertyKeyName(target.key, target.computed);
      if (name === undefined) return undefined;
      const root = `${target.static ? 'cs' : 'c'}${this.#graph.resolver.idOf(target.parent.parent)}`;
      return makeRef(root, [name], name);
    }
    if (target.type === AST_NODE_TYPES.TSParameterProperty) {
      const parameter = target.parameter;
      if (parameter.type !== AST_NODE_TYPES.Identifier) return undefined;
      // parameter property → constructor function → MethodDefinition → ClassBody → class
      const classNode = target.parent.parent.parent?.parent;
      if (!classNode) return undefined;
      return makeRef(`c${this.#graph.resolver.idOf(classNode)}`, [parameter.name], parameter.name);
    }
    return this.#graph.resolver.resolve(target);
  }

  #kindOfConstructor(callee: TSESTree.Node): ResourceKind | undefined {
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const kind = this.#registry.byName(callee.name);
      // Only names of kinds and of classes declared in the file need a scope lookup.
      if (!kind && !this.#localClassNames.has(callee.name)) return undefined;
      const variable = this.#graph.resolver.variableOf(callee);
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
      return name === undefined ? undefined : this.#registry.byName(name);
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
      const kind = this.#registry.byName(typeName.name);
      if (kind?.builtIn) {
        const variable = this.#graph.resolver.variableOf(typeName);
        if (variable && variable.defs.some((def) => def.type !== 'ImportBinding')) return undefined;
      }
      return kind;
    }
    if (typeName.type === AST_NODE_TYPES.TSQualifiedName) return this.#registry.byName(typeName.right.name);
    return undefined;
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
      const kind = this.#registry.byName(symbol.getName());
      if (!kind) continue;
      const declarations = symbol.getDeclarations() ?? [];
      if (kind.builtIn && !declarations.every((declaration) => declaration.getSourceFile().isDeclarationFile)) continue;
      return kind;
    }
    return undefined;
  }

  #stackNameSet(): Set<string> {
    if (!this.#stackNames) {
      this.#stackNames = new Set();
      for (const [key, kind] of this.#kinds) {
        if (kind.category === 'stack') this.#stackNames.add(key.slice(key.lastIndexOf('.') + 1));
      }
    }
    return this.#stackNames;
  }

  /**
   * Without types a stack is one of the instances the file itself marks as a stack: the last
   * name of its path must be one of theirs. A string check that spares most scope lookups.
   */
  #mayNameStack(expression: TSESTree.Node): boolean {
    const names = this.#stackNameSet();
    if (names.size === 0) return false;
    const unwrapped = unwrapExpression(expression);
    if (unwrapped.type === AST_NODE_TYPES.Identifier) return true; // roots are ids, not names: check fully
    if (unwrapped.type === AST_NODE_TYPES.MemberExpression) {
      const name = memberName(unwrapped);
      return name !== undefined && names.has(name);
    }
    return compiledPrivateAccess(unwrapped) !== undefined;
  }
}

/**
 * `new Semaphore(2)` → 2; `new Semaphore()` → 1 (Deno std's default; async-mutex requires the
 * argument); `withTimeout(new Semaphore(2), …)` → 2; anything else → undefined (not spelled).
 */
function capacityOfConstruction(value: TSESTree.Node): number | undefined {
  const unwrapped = unwrapExpression(value);
  if (unwrapped.type === AST_NODE_TYPES.CallExpression && unwrapped.callee.type === AST_NODE_TYPES.Identifier && unwrapped.callee.name === 'withTimeout') {
    return unwrapped.arguments[0] && capacityOfConstruction(unwrapped.arguments[0]);
  }
  if (unwrapped.type !== AST_NODE_TYPES.NewExpression) return undefined;
  const callee = unwrapped.callee;
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? memberName(callee) : undefined;
  if (name !== 'Semaphore') return undefined;
  const first = unwrapped.arguments[0];
  if (!first) return 1;
  return first.type === AST_NODE_TYPES.Literal && typeof first.value === 'number' && first.value >= 1 ? first.value : undefined;
}

function typeAnnotationOf(node: TSESTree.Node): TSESTree.TypeNode | undefined {
  return 'typeAnnotation' in node && node.typeAnnotation && node.typeAnnotation.type === AST_NODE_TYPES.TSTypeAnnotation
    ? node.typeAnnotation.typeAnnotation
    : undefined;
}
