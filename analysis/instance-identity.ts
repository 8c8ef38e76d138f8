import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, ASTUtils } from '@typescript-eslint/utils';

/**
 * Same-instance resolution: when do two expressions denote the same stack or lock?
 *
 * The same variable (resolved through scopes, following `const` aliases), or the same member
 * path on `this` / `this.#field` (inside one class) or on one `const` object. Anything else
 * (`a.lock` vs `b.lock`, two `new Pool()`s, a call result) is a different instance or unknown,
 * and unknown never matches: the rules report only what they can prove is one instance.
 */

/** A resolved instance: a root (variable, class instance, global, Web Lock name) and a member path. */
export interface InstanceRef {
  /** `v<n>` a variable, `c<n>` / `cs<n>` a class's instances / the class itself, `g:<name>` a global, `w:<name>` a Web Lock name. */
  readonly root: string;
  readonly path: readonly string[];
  /** Identity: two refs with equal `key` are the same instance. */
  readonly key: string;
  /** How the source wrote it, for messages. */
  readonly label: string;
}

export type FunctionNode =
  | TSESTree.ArrowFunctionExpression
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression;

export function isFunctionNode(node: TSESTree.Node): node is FunctionNode {
  return (
    node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression
  );
}

export function makeRef(root: string, path: readonly string[], label: string): InstanceRef {
  return { root, path, key: [root, ...path].join('.'), label };
}

/** A parameter root: which function it belongs to and at which position. */
export interface ParameterRoot {
  readonly fn: FunctionNode;
  readonly index: number;
}

const MAX_ALIAS_DEPTH = 10;

/**
 * How much `InstanceResolver.variableOf` may spend on lookups by name before it indexes the
 * whole file, in references compared: a lookup costs a scope walk (counted as
 * `LOOKUP_COST`) and a scan of the found variable's declarations and references. About what
 * indexing a file of a few thousand lines costs; most files the rules analyse spend less.
 */
const LOOKUP_BUDGET = 32_768;
const LOOKUP_COST = 256;

/** `#variableByName`'s answer when only the index can tell. */
const UNSETTLED = Symbol('unsettled');

/** Resolves expressions to instances for one file; ids are stable for the file's lifetime. */
export class InstanceResolver {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #ids = new WeakMap<object, number>();
  #nextId = 0;
  readonly #parameterRoots = new Map<string, ParameterRoot>();
  readonly #rootDeclarations = new Map<string, TSESTree.Node>();
  readonly #rootVariables = new Map<string, TSESLint.Scope.Variable>();
  /** Down-levelled private methods (`_C_m = function _C_m() {…}`) → the `this` root they run with. */
  readonly #compiledPrivateMethodRoots = new Map<TSESTree.Node, string>();

  /**
   * Record that `fn` runs with `this` bound to the receiver of a compiled private call
   * (`__classPrivateFieldGet(this, _C_instances, "m", _C_m).call(this, …)`).
   */
  noteCompiledPrivateMethod(fn: TSESTree.Node, receiver: TSESTree.Node): void {
    if (this.#compiledPrivateMethodRoots.has(fn)) return;
    const root = this.#resolvePath(receiver, 0);
    if (root && root.path.length === 0) this.#compiledPrivateMethodRoots.set(fn, root.root);
  }

  /** `lookupBudget: 0` indexes the file at the first question (tests compare both ways). */
  constructor(sourceCode: Readonly<TSESLint.SourceCode>, lookupBudget = LOOKUP_BUDGET) {
    this.#sourceCode = sourceCode;
    this.#lookupBudget = lookupBudget;
  }

  idOf(object: object): number {
    let id = this.#ids.get(object);
    if (id === undefined) {
      id = this.#nextId++;
      this.#ids.set(object, id);
    }
    return id;
  }

  /** Where the root variable of an instance is declared (undefined for `this`, globals, lock names). */
  rootDeclaration(root: string): TSESTree.Node | undefined {
    return this.#rootDeclarations.get(root);
  }

  /** The variable behind a `v<n>` root, once resolved. */
  variableOfRoot(root: string): TSESLint.Scope.Variable | undefined {
    return this.#rootVariables.get(root);
  }

  /** The function parameter an instance root is, if it is one. */
  parameterRoot(root: string): ParameterRoot | undefined {
    return this.#parameterRoots.get(root);
  }

  /**
   * The variable an identifier refers to, or undefined for a global nobody declared: what the
   * scope manager resolved it to. Most files ask this a few dozen times, and a large test file
   * has tens of thousands of identifiers: the first questions are answered by name from the
   * identifier's scope (`#variableByName`), and only a file that asks many (or asks about
   * names referenced hundreds of times) gets the index of every identifier: one pass over the
   * scopes, a map read per question afterwards.
   */
  variableOf(identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined {
    if (this.#identifierIndex === undefined && this.#lookupBudget > 0) {
      const found = this.#variableByName(identifier);
      if (found !== UNSETTLED) return found;
    }
    const index = (this.#identifierIndex ??= this.#indexIdentifiers());
    if (index.has(identifier)) return index.get(identifier) ?? undefined;
    return ASTUtils.findVariable(this.#sourceCode.getScope(identifier), identifier) ?? undefined;
  }

  #identifierIndex: Map<TSESTree.Node, TSESLint.Scope.Variable | null> | undefined;
  #lookupBudget: number;

  /**
   * The index's answer without the index, when a lookup by name settles it: the variable of
   * that name seen from the identifier's scope, if the identifier declares it or is one of its
   * references. No variable of that name at all means none (the scope manager resolves a name
   * up the same chain). Anything else (a type reference that skips a value of the same name,
   * an identifier that is not a reference) is left to the index: `UNSETTLED`.
   */
  #variableByName(identifier: TSESTree.Identifier): TSESLint.Scope.Variable | undefined | typeof UNSETTLED {
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(identifier), identifier);
    this.#lookupBudget -= LOOKUP_COST;
    if (variable === null) return undefined;
    const { identifiers, references } = variable;
    this.#lookupBudget -= identifiers.length;
    if (identifiers.includes(identifier)) return variable;
    for (let index = 0; index < references.length; index++) {
      if ((references[index] as TSESLint.Scope.Reference).identifier === identifier) {
        this.#lookupBudget -= index;
        return variable;
      }
    }
    this.#lookupBudget -= references.length;
    return UNSETTLED;
  }

  #indexIdentifiers(): Map<TSESTree.Node, TSESLint.Scope.Variable | null> {
    const index = new Map<TSESTree.Node, TSESLint.Scope.Variable | null>();
    for (const scope of this.#sourceCode.scopeManager?.scopes ?? []) {
      for (const variable of scope.variables) {
        for (const identifier of variable.identifiers) index.set(identifier, variable);
      }
      for (const reference of scope.references) {
        if (!index.has(reference.identifier)) index.set(reference.identifier, reference.resolved);
      }
    }
    return index;
  }

  /** Variable → its root id (asked for every resolved name: built once, not once per ask). */
  readonly #variableRoots = new Map<TSESLint.Scope.Variable, string>();

  /** The root id of a declared variable; records parameter roots on the way. */
  rootOfVariable(variable: TSESLint.Scope.Variable): string {
    const known = this.#variableRoots.get(variable);
    if (known !== undefined) return known;
    const root = `v${this.idOf(variable)}`;
    this.#variableRoots.set(variable, root);
    if (!this.#rootVariables.has(root)) {
      this.#rootVariables.set(root, variable);
      const def = variable.defs[0];
      if (def) {
        this.#rootDeclarations.set(root, def.name);
        if (def.type === 'Parameter' && isFunctionNode(def.node)) {
          const index = def.node.params.findIndex(
            (param) =>
              param === def.name ||
              (param.type === AST_NODE_TYPES.AssignmentPattern && param.left === def.name),
          );
          if (index >= 0) this.#parameterRoots.set(root, { fn: def.node, index });
        }
      }
    }
    return root;
  }

  /**
   * Only the identity key of `resolve(expression)`: no label text, no path arrays (hot paths).
   * Case for case what `#resolvePath` answers, joined with dots as `makeRef` joins it.
   */
  resolveKey(expression: TSESTree.Node): string | undefined {
    return this.#keyOf(expression, 0);
  }

  #keyOf(node: TSESTree.Node, depth: number): string | undefined {
    if (depth > MAX_ALIAS_DEPTH) return undefined;
    const wrapped = pathThrough(node);
    if (wrapped !== undefined) return this.#keyOf(wrapped, depth);
    switch (node.type) {
      case AST_NODE_TYPES.Identifier: {
        const variable = this.variableOf(node);
        if (!variable) return `g:${node.name}`;
        const aliased = this.#constAliasTarget(variable);
        if (aliased) {
          const target = this.#keyOf(aliased, depth + 1);
          if (target !== undefined) return target;
        }
        return this.rootOfVariable(variable);
      }
      case AST_NODE_TYPES.ThisExpression:
        return this.#thisRoot(node);
      case AST_NODE_TYPES.MemberExpression: {
        const name = memberName(node);
        if (name === undefined) return undefined;
        const object = this.#keyOf(node.object, depth);
        return object === undefined ? undefined : `${object}.${name}`;
      }
      case AST_NODE_TYPES.CallExpression: {
        const field = compiledPrivateAccess(node);
        if (field?.kind !== 'f') return undefined;
        const object = this.#keyOf(field.receiver, depth);
        return object === undefined ? undefined : `${object}.#${field.store.name}`;
      }
      default:
        return undefined;
    }
  }

  /** The instance an expression denotes, or undefined when it is not a stable path. */
  resolve(expression: TSESTree.Node, depth = 0): InstanceRef | undefined {
    const compiled = compiledPrivateAccess(expression);
    const label =
      compiled?.kind === 'f'
        ? `${this.#sourceCode.getText(compiled.receiver)}.#${compiled.store.name}`
        : this.#sourceCode.getText(expression);
    const resolved = this.#resolvePath(expression, depth);
    return resolved && makeRef(resolved.root, resolved.path, label);
  }

  #resolvePath(node: TSESTree.Node, depth: number): { root: string; path: string[] } | undefined {
    if (depth > MAX_ALIAS_DEPTH) return undefined;
    const wrapped = pathThrough(node);
    if (wrapped !== undefined) return this.#resolvePath(wrapped, depth);
    switch (node.type) {
      case AST_NODE_TYPES.Identifier: {
        const variable = this.variableOf(node);
        if (!variable) return { root: `g:${node.name}`, path: [] };
        const aliased = this.#constAliasTarget(variable);
        if (aliased) {
          const target = this.#resolvePath(aliased, depth + 1);
          if (target) return target;
        }
        return { root: this.rootOfVariable(variable), path: [] };
      }
      case AST_NODE_TYPES.ThisExpression: {
        const root = this.#thisRoot(node);
        return root === undefined ? undefined : { root, path: [] };
      }
      case AST_NODE_TYPES.MemberExpression: {
        const name = memberName(node);
        if (name === undefined) return undefined;
        const object = this.#resolvePath(node.object, depth);
        return object && { root: object.root, path: [...object.path, name] };
      }
      case AST_NODE_TYPES.CallExpression: {
        // TypeScript's down-levelled `this.#field`: `__classPrivateFieldGet(this, _C_field, "f")`.
        const field = compiledPrivateAccess(node);
        if (field?.kind !== 'f') return undefined;
        const object = this.#resolvePath(field.receiver, depth);
        return object && { root: object.root, path: [...object.path, `#${field.store.name}`] };
      }
      default:
        return undefined;
    }
  }

  /** `const b = a` / `const m = this.mutex`: b and m are the same instance as what they alias. */
  #constAliasTarget(variable: TSESLint.Scope.Variable): TSESTree.Node | undefined {
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    if (def?.type !== 'Variable' || def.parent.kind !== 'const') return undefined;
    const declarator = def.node;
    if (declarator.id !== def.name || !declarator.init) return undefined;
    const init = declarator.init;
    const isPath =
      init.type === AST_NODE_TYPES.Identifier ||
      init.type === AST_NODE_TYPES.MemberExpression ||
      init.type === AST_NODE_TYPES.ThisExpression ||
      init.type === AST_NODE_TYPES.TSNonNullExpression;
    return isPath ? init : undefined;
  }

  /**
   * What `this` is at a node: a class's instances (methods, fields, constructor), the class
   * itself (static members), or the `const` an object literal with the method is bound to.
   */
  #thisRoot(node: TSESTree.Node): string | undefined {
    let current: TSESTree.Node | undefined = node.parent;
    while (current) {
      switch (current.type) {
        case AST_NODE_TYPES.ArrowFunctionExpression:
          break;
        case AST_NODE_TYPES.PropertyDefinition:
        case AST_NODE_TYPES.AccessorProperty: {
          const classNode = current.parent.parent;
          return `${current.static ? 'cs' : 'c'}${this.idOf(classNode)}`;
        }
        case AST_NODE_TYPES.StaticBlock:
          return `cs${this.idOf(current.parent.parent)}`;
        case AST_NODE_TYPES.FunctionExpression: {
          const owner = current.parent;
          const compiledMethodOf = this.#compiledPrivateMethodRoots.get(current);
          if (compiledMethodOf !== undefined) return compiledMethodOf;
          if (owner.type === AST_NODE_TYPES.MethodDefinition) {
            return `${owner.static ? 'cs' : 'c'}${this.idOf(owner.parent.parent)}`;
          }
          if (owner.type === AST_NODE_TYPES.Property && owner.parent.type === AST_NODE_TYPES.ObjectExpression) {
            return this.#objectLiteralRoot(owner.parent);
          }
          return undefined;
        }
        case AST_NODE_TYPES.FunctionDeclaration:
        case AST_NODE_TYPES.Program:
          return undefined;
        default:
          break;
      }
      current = current.parent;
    }
    return undefined;
  }

  #objectLiteralRoot(object: TSESTree.ObjectExpression): string | undefined {
    const declarator = object.parent;
    if (
      declarator.type !== AST_NODE_TYPES.VariableDeclarator ||
      declarator.id.type !== AST_NODE_TYPES.Identifier ||
      declarator.parent.kind !== 'const'
    ) {
      return undefined;
    }
    const variable = this.variableOf(declarator.id);
    return variable && this.rootOfVariable(variable);
  }
}

/**
 * The expression an instance path looks through (`x!`, `x as T`, `x satisfies T`, `<T>x`, the
 * chain of `x?.y`), or undefined for any other node.
 */
export function pathThrough(node: TSESTree.Node): TSESTree.Node | undefined {
  switch (node.type) {
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.TSTypeAssertion:
    case AST_NODE_TYPES.ChainExpression:
      return node.expression;
    default:
      return undefined;
  }
}

/** `a.b` → `b`, `this.#f` → `#f`, `a['b']` → `b`; undefined for computed keys. */
export function memberName(node: TSESTree.MemberExpression): string | undefined {
  if (!node.computed) {
    return node.property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${node.property.name}` : node.property.name;
  }
  if (node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string') {
    return node.property.value;
  }
  return undefined;
}

/** Replace a parameter root by the caller's argument: `param.lock` with `this.mutex` → `this.mutex.lock`. */
export function substituteRoot(ref: InstanceRef, bindings: ReadonlyMap<string, InstanceRef>): InstanceRef {
  const bound = bindings.get(ref.root);
  if (!bound) return ref;
  return makeRef(bound.root, [...bound.path, ...ref.path], [bound.label, ...ref.path].join('.'));
}

/**
 * TypeScript's helper for private members below ES2022: `__classPrivateFieldGet(receiver, store,
 * "f")` reads a field, `(…, "m", fn)` a method, `(…, "a", getter)` an accessor.
 */
export function compiledPrivateAccess(
  node: TSESTree.Node,
): { receiver: TSESTree.Node; store: TSESTree.Identifier; kind: string; method?: TSESTree.Identifier } | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = node.callee;
  if (callee.type !== AST_NODE_TYPES.Identifier || !/^_*classPrivateFieldGet\d*$/u.test(callee.name)) return undefined;
  const [receiver, store, kind, method] = node.arguments;
  if (!receiver || store?.type !== AST_NODE_TYPES.Identifier || kind?.type !== AST_NODE_TYPES.Literal || typeof kind.value !== 'string') {
    return undefined;
  }
  return { receiver, store, kind: kind.value, ...(method?.type === AST_NODE_TYPES.Identifier ? { method } : {}) };
}
