/**
 * What the plugin knows about process-wide output: which global objects are output targets
 * (`process.stdout`, `process.stderr`, their `write`, `console` and its members), how code
 * reaches them (the real globals only, through scope analysis; `globalThis.` / `global.`
 * prefixes; `const` aliases and destructuring; `node:process` / `node:console` imports and
 * requires), and how to name a target in a message.
 *
 * A path is the list of property names from the global object down, e.g.
 * `['process', 'stdout', 'write']`. A segment may be `*`: "some member, which one is not known
 * statically" (`Object.assign(console, overrides)`, `process[name].write`). Paths with `*`
 * are compared by unification: `*` matches any one segment.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, ASTUtils } from '@typescript-eslint/utils';

import { callArguments, getCallGraph, getNamedCallSites } from './call-graph.js';
import { mayPassTargetsToCalls } from './global-output-prefilter.js';
import { skipTypeWrappers, walkNodes } from './ast-children.js';

export type GlobalPath = readonly string[];

/** Segment meaning "an unknown member of the object named by the path so far". */
export const ANY_MEMBER = '*';

/** Names that denote the global object itself, so `globalThis.console` is `console`. */
const GLOBAL_OBJECT_NAMES = new Set(['globalThis', 'global', 'window', 'self']);

/** Modules whose default export / namespace is a process-wide output object. */
const MODULES_EXPORTING_GLOBALS = new Map<string, GlobalPath>([
  ['process', ['process']],
  ['node:process', ['process']],
  ['console', ['console']],
  ['node:console', ['console']],
]);

/**
 * The built-in targets. `console.*` covers every console method and the private
 * `console._stdout` / `_stderr` fields that capture libraries also swap.
 */
export const BUILT_IN_TARGETS: readonly string[] = [
  'process.stdout',
  'process.stderr',
  'process.stdout.write',
  'process.stderr.write',
  'console',
  'console.*',
];

/** Words at least one of which appears in any file that can touch a built-in target. */
export const BUILT_IN_TARGET_WORDS: readonly string[] = ['process', 'console', 'stdout', 'stderr'];

/** Schema pattern of an `additionalTargets` entry: a dotted path, optionally ending in `.*`. */
export const TARGET_PATTERN_SOURCE = String.raw`^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*(\.\*)?$`;

/** A parsed target: a global path whose last segment may be `*` (any member). */
export type TargetPattern = GlobalPath;

/** Parses dotted target names, dropping a leading `globalThis.` / `global.` (same object). */
export function parseTargetPatterns(names: readonly string[]): TargetPattern[] {
  return names.map((name) => {
    const segments = name.split('.');
    while (segments.length > 1 && GLOBAL_OBJECT_NAMES.has(segments[0] ?? '')) segments.shift();
    return segments;
  });
}

export function formatPath(path: GlobalPath): string {
  return path.join('.');
}

/** True when two paths can name the same member: same length, `*` matching any segment. */
export function pathsUnify(first: GlobalPath, second: GlobalPath): boolean {
  return (
    first.length === second.length &&
    first.every((segment, index) => segment === ANY_MEMBER || second[index] === ANY_MEMBER || segment === second[index])
  );
}

/** The most specific path covering all of `paths` (differing segments become `*`), or `null`. */
export function mergePaths(paths: readonly GlobalPath[]): GlobalPath | null {
  const [first, ...rest] = paths;
  if (first === undefined || rest.some((path) => path.length !== first.length)) return null;
  return first.map((segment, index) => (rest.every((path) => path[index] === segment) ? segment : ANY_MEMBER));
}

/**
 * The set of targets the rule checks, with the two questions it asks: is this path a target,
 * and does this object have target members (so an unknown-key write to it is a rebinding).
 */
export class GlobalOutputTargets {
  readonly #patterns: readonly TargetPattern[];

  /** Last names of the targets (`write`, `stdout`, `console`). */
  readonly #lastNames: ReadonlySet<string>;
  /** Names of the objects whose every member is a target (`console` for `console.*`). */
  readonly #wildcardOwners: ReadonlySet<string>;

  constructor(patterns: readonly TargetPattern[]) {
    this.#patterns = patterns;
    this.#lastNames = new Set(patterns.map((pattern) => pattern.at(-1) ?? '').filter((name) => name !== ANY_MEMBER));
    this.#wildcardOwners = new Set(
      patterns.flatMap((pattern) => (pattern.at(-1) === ANY_MEMBER && pattern.length > 1 ? [pattern.at(-2) ?? ''] : [])),
    );
  }

  /**
   * A syntactic test that needs no scope lookup: false when assigning `place` cannot rebind
   * a target whatever its names resolve to. A plain name must be a global target root (or
   * the global object); a member must have a target's last name, a computed key, or an
   * object that may be one whose every member is a target (`console`, or a name that may
   * alias it).
   */
  mayBeAssignedTarget(rawPlace: TSESTree.Node): boolean {
    const place = skipTypeWrappers(rawPlace);
    if (place.type === AST_NODE_TYPES.Identifier) return this.#lastNames.has(place.name) || GLOBAL_OBJECT_NAMES.has(place.name);
    if (place.type !== AST_NODE_TYPES.MemberExpression) return false;
    const key = staticPropertyName(place.property, place.computed);
    if (key === null || this.#lastNames.has(key)) return true;
    if (this.#wildcardOwners.size === 0) return false;
    const object = skipTypeWrappers(place.object);
    if (object.type === AST_NODE_TYPES.MemberExpression) {
      const objectKey = staticPropertyName(object.property, object.computed);
      return objectKey === null || this.#wildcardOwners.has(objectKey);
    }
    // `this.x = …` rebinds a field; `this.x.y = …` was handled above.
    return object.type !== AST_NODE_TYPES.ThisExpression;
  }

  /**
   * True when writing `path` may rebind process-wide output: some target unifies with it
   * (`console.*` for `console[name]`, `process.*.write` for `process[std].write`).
   */
  isTarget(path: GlobalPath): boolean {
    if (path.length === 0 || path[0] === ANY_MEMBER) return false;
    return this.#patterns.some((pattern) => pathsUnify(path, pattern));
  }

  /** The global names the targets start from, for the cheap "does this file mention any" test. */
  rootNames(): string[] {
    return [...new Set(this.#patterns.map((pattern) => pattern[0] ?? ''))].filter((name) => name !== '');
  }
}

/** The static name of a member access or object key: `a.b`, `a['b']`, ``a[`b`]``. */
export function staticPropertyName(
  key: TSESTree.Expression | TSESTree.PrivateIdentifier,
  computed: boolean,
): string | null {
  if (!computed) return key.type === AST_NODE_TYPES.Identifier ? key.name : null;
  if (key.type === AST_NODE_TYPES.Literal && typeof key.value === 'string') return key.value;
  if (key.type === AST_NODE_TYPES.TemplateLiteral && key.expressions.length === 0) {
    return key.quasis[0]?.value.cooked ?? null;
  }
  return null;
}

/** A static key of a call argument (`Object.defineProperty(o, 'write', …)`). */
export function staticKeyArgument(node: TSESTree.Node | undefined): string | null {
  if (node === undefined || node.type === AST_NODE_TYPES.SpreadElement) return null;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) {
    return node.quasis[0]?.value.cooked ?? null;
  }
  return null;
}

/** Marks a variable whose path is being computed, so a cycle of aliases resolves to nothing. */
const IN_PROGRESS = Symbol('in progress');

// Alias chains deeper than this (only seen in generated code) resolve to nothing rather than
// risk the stack.
const MAX_ALIAS_NESTING = 200;

/**
 * Resolves expressions to the global path they denote, or `null` when they do not denote a
 * global (a parameter or local named `process`, an unknown object, a computed key).
 */
export class GlobalPathResolver {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  /** Roots of the targets: where several values may flow into one place, only these matter. */
  readonly #targetRoots: ReadonlySet<string>;

  /**
   * With only the built-in targets, parameters are resolved only in files that may hand one
   * to a call (`mayPassTargetsToCalls`): elsewhere no call site can bind a parameter to a
   * target, and looking for call sites builds the file's call graph.
   */
  readonly #builtInTargetsOnly: boolean;
  #targetsMayBePassed: boolean | undefined;

  constructor(sourceCode: Readonly<TSESLint.SourceCode>, targetRoots: Iterable<string>, builtInTargetsOnly = false) {
    this.#sourceCode = sourceCode;
    this.#targetRoots = new Set(targetRoots);
    this.#builtInTargetsOnly = builtInTargetsOnly;
  }

  pathOf(node: TSESTree.Node): GlobalPath | null {
    return this.#pathOf(node);
  }

  /**
   * The global path that assigning to `place` rebinds. Unlike `pathOf`, the place itself is
   * never read as an alias: `this.saved = …` or `out = …` rebinds a field or a variable (even
   * one holding a target), while `out.write = …` rebinds a member of what `out` holds.
   */
  assignedPath(rawPlace: TSESTree.Node): GlobalPath | null {
    const place = skipTypeWrappers(rawPlace);
    if (place.type === AST_NODE_TYPES.Identifier) {
      if (!this.isGlobalReference(place)) return null;
      return GLOBAL_OBJECT_NAMES.has(place.name) ? [] : [place.name];
    }
    if (place.type !== AST_NODE_TYPES.MemberExpression) return null;
    if (skipTypeWrappers(place.object).type === AST_NODE_TYPES.ThisExpression) return null;
    return this.#pathOf(place);
  }

  /**
   * True when `identifier` refers to the environment's global of that name: no declaration
   * reaches it, or only the global scope's implicit / configured-globals variable (no defs).
   */
  isGlobalReference(identifier: TSESTree.Identifier): boolean {
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(identifier), identifier);
    return variable === null || isEnvironmentGlobal(variable);
  }

  /** The initialiser of a local `const x = …` (or a never-reassigned `let`/`var`), else `null`. */
  constantInitOf(identifier: TSESTree.Identifier): TSESTree.Expression | null {
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(identifier), identifier);
    if (variable === null || !isNeverReassigned(variable)) return null;
    const [definition, ...otherDefinitions] = variable.defs;
    if (definition?.type !== 'Variable' || otherDefinitions.length > 0) return null;
    return definition.node.id === definition.name ? definition.node.init : null;
  }

  #pathOf(rawNode: TSESTree.Node): GlobalPath | null {
    const node = skipTypeWrappers(rawNode);
    switch (node.type) {
      case AST_NODE_TYPES.Identifier:
        return this.#pathOfIdentifier(node);
      case AST_NODE_TYPES.MemberExpression: {
        // A computed key that is not a literal may be any member (`process[std]`).
        const key = staticPropertyName(node.property, node.computed) ?? (node.computed ? ANY_MEMBER : null);
        if (key === null) return null;
        if (skipTypeWrappers(node.object).type === AST_NODE_TYPES.ThisExpression) {
          return key === ANY_MEMBER ? null : this.#pathOfField(node, key);
        }
        const base = this.#pathOf(node.object);
        if (base === null) return null;
        // `globalThis.globalThis.console` is still `console`.
        if (base.length === 0 && GLOBAL_OBJECT_NAMES.has(key)) return base;
        return [...base, key];
      }
      case AST_NODE_TYPES.CallExpression:
        return this.#pathOfRequire(node);
      // `stdout ?? process.stdout`, `quiet ? sink : process.stderr`: what the resolvable sides share.
      case AST_NODE_TYPES.LogicalExpression:
        return this.#mergeResolvable([node.left, node.right]);
      case AST_NODE_TYPES.ConditionalExpression:
        return this.#mergeResolvable([node.consequent, node.alternate]);
      default:
        return null;
    }
  }

  #pathOfIdentifier(identifier: TSESTree.Identifier): GlobalPath | null {
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(identifier), identifier);
    if (variable === null || isEnvironmentGlobal(variable)) {
      return GLOBAL_OBJECT_NAMES.has(identifier.name) ? [] : [identifier.name];
    }
    // Each binding is resolved once per file: parameters fan out to every call site, and
    // bundles chain them deeply, so recomputing would be exponential.
    const cached = this.#aliasPaths.get(variable);
    if (cached !== undefined) return cached === IN_PROGRESS ? null : cached;
    if (this.#aliasNesting >= MAX_ALIAS_NESTING) return null;
    this.#aliasPaths.set(variable, IN_PROGRESS);
    this.#aliasNesting++;
    try {
      const path = this.#pathOfAlias(variable);
      this.#aliasPaths.set(variable, path);
      return path;
    } finally {
      this.#aliasNesting--;
    }
  }

  readonly #aliasPaths = new Map<TSESLint.Scope.Variable, GlobalPath | null | typeof IN_PROGRESS>();
  #aliasNesting = 0;

  /** `const out = process.stdout`, `const { stdout } = process`, `import { stdout } from 'node:process'`. */
  #pathOfAlias(variable: TSESLint.Scope.Variable): GlobalPath | null {
    const [definition, ...otherDefinitions] = variable.defs;
    if (definition === undefined || otherDefinitions.length > 0) return null;
    if (!isNeverReassigned(variable)) return null;

    if (definition.type === 'Variable') {
      const declarator = definition.node;
      const keys = keysFromPatternRoot(definition.name, declarator.id);
      if (keys === null) return null;
      const base =
        declarator.init === null ? this.#pathOfLoopElement(declarator) : this.#pathOf(declarator.init);
      return base === null ? null : [...base, ...keys];
    }

    if (definition.type === 'ImportBinding') {
      const specifier = definition.node;
      if (specifier.type === AST_NODE_TYPES.TSImportEqualsDeclaration) return null;
      const declaration = definition.parent;
      if (declaration.type !== AST_NODE_TYPES.ImportDeclaration || declaration.importKind === 'type') return null;
      const moduleRoot = MODULES_EXPORTING_GLOBALS.get(declaration.source.value);
      if (moduleRoot === undefined) return null;
      if (specifier.type !== AST_NODE_TYPES.ImportSpecifier) return moduleRoot;
      if (specifier.importKind === 'type') return null;
      const imported =
        specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
      return imported === 'default' ? moduleRoot : [...moduleRoot, imported];
    }

    if (definition.type === 'Parameter') return this.#pathOfParameter(definition.name, definition.node);

    return null;
  }

  /**
   * A plain parameter of a function called by name in this file (or of a method called as
   * `this.name(…)` in its class) denotes what its call sites pass: `function hook(stream) {
   * stream.write = f }` with `hook(process.stdout)` and `hook(process.stderr)` gives
   * `process.*`. Calls that pass non-globals are ignored (the rebinding still happens on the
   * others); with no resolvable call site, nothing.
   */
  #pathOfParameter(parameter: TSESTree.Node, fn: TSESTree.Node): GlobalPath | null {
    if (
      fn.type !== AST_NODE_TYPES.FunctionDeclaration &&
      fn.type !== AST_NODE_TYPES.FunctionExpression &&
      fn.type !== AST_NODE_TYPES.ArrowFunctionExpression
    ) {
      return null;
    }
    const index = fn.params.findIndex(
      (candidate) =>
        candidate === parameter ||
        (candidate.type === AST_NODE_TYPES.TSParameterProperty && candidate.parameter === parameter),
    );
    if (index === -1) return null;
    if (this.#builtInTargetsOnly) {
      this.#targetsMayBePassed ??= mayPassTargetsToCalls(this.#sourceCode.scopeManager);
      if (!this.#targetsMayBePassed) return null;
    }
    return this.#mergeResolvable(this.#argumentsPassedTo(fn, index));
  }

  /**
   * What the values among `nodes` that reach a target root have in common (see `mergePaths`):
   * `quiet ? sink : process.stderr` may be `process.stderr`; `null` when none reaches one.
   */
  #mergeResolvable(nodes: readonly TSESTree.Node[]): GlobalPath | null {
    const paths = nodes.flatMap((node) => {
      const path = this.#pathOf(node);
      return path !== null && this.#targetRoots.has(path[0] ?? '') ? [path] : [];
    });
    return mergePaths(paths);
  }

  /**
   * The `index`-th arguments of the calls of `fn` in this file, as the shared call graph
   * resolves them (`fn(…)`, `this.method(…)`, `fn.call(self, …)`), or of `new ClassName(…)` for
   * a constructor.
   */
  #argumentsPassedTo(fn: FunctionNode, index: number): TSESTree.Node[] {
    const argumentLists =
      fn.parent.type === AST_NODE_TYPES.MethodDefinition && fn.parent.kind === 'constructor'
        ? this.#constructionsOf(fn.parent.parent.parent).map((construction) => construction.arguments)
        : inFileCallsOf(this.#sourceCode, fn).map((call) => callArguments(call));
    return argumentLists.flatMap((list) => {
      const argument = list[index];
      return argument === undefined || argument.type === AST_NODE_TYPES.SpreadElement ? [] : [argument];
    });
  }

  /**
   * One walk per class body, shared by every question about it: the `this.key = value`
   * assignments of its own `this`, by name (bundles have classes with hundreds of members, so
   * walking once per member was quadratic).
   */
  #thisAssignments(classBody: TSESTree.ClassBody): Map<string, TSESTree.Node[]> {
    const cached = this.#classAssignments.get(classBody);
    if (cached !== undefined) return cached;
    const assignments = new Map<string, TSESTree.Node[]>();
    this.#walk(classBody, (node) => {
      if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') return;
      const left = skipTypeWrappers(node.left);
      if (left.type !== AST_NODE_TYPES.MemberExpression || skipTypeWrappers(left.object).type !== AST_NODE_TYPES.ThisExpression) {
        return;
      }
      const key = staticPropertyName(left.property, left.computed);
      if (key === null || enclosingClassBodyOfThis(left) !== classBody) return;
      const list = assignments.get(key);
      if (list === undefined) assignments.set(key, [node.right]);
      else list.push(node.right);
    });
    this.#classAssignments.set(classBody, assignments);
    return assignments;
  }

  readonly #classAssignments = new WeakMap<TSESTree.ClassBody, Map<string, TSESTree.Node[]>>();

  /** `new ClassName(…)` in this file, for `class ClassName {}` and `const ClassName = class {}`. */
  #constructionsOf(classNode: TSESTree.ClassDeclaration | TSESTree.ClassExpression): TSESTree.NewExpression[] {
    const nameHolder =
      classNode.type === AST_NODE_TYPES.ClassDeclaration
        ? classNode
        : classNode.parent.type === AST_NODE_TYPES.VariableDeclarator && classNode.parent.init === classNode
          ? classNode.parent
          : null;
    if (nameHolder?.id?.type !== AST_NODE_TYPES.Identifier) return [];
    const name = nameHolder.id.name;
    const variable = this.#sourceCode.getDeclaredVariables(nameHolder).find((candidate) => candidate.name === name);
    return (variable?.references ?? []).flatMap((reference) => {
      const construction = reference.identifier.parent;
      return construction?.type === AST_NODE_TYPES.NewExpression && construction.callee === reference.identifier
        ? [construction]
        : [];
    });
  }

  /**
   * `this.stream` inside a class denotes what the class stores there: the values of
   * `this.stream = …` anywhere in the class, its field initialiser, or a constructor parameter
   * property (`constructor(private stream)`), merged like parameters.
   */
  #pathOfField(member: TSESTree.MemberExpression, key: string): GlobalPath | null {
    const classBody = enclosingClassBodyOfThis(member);
    if (classBody === null) return null;
    const cacheKey = `${classBody.range.join(':')}.${key}`;
    const cached = this.#fieldPaths.get(cacheKey);
    if (cached !== undefined) return cached === IN_PROGRESS ? null : cached;
    this.#fieldPaths.set(cacheKey, IN_PROGRESS);
    const path = this.#mergeResolvable(this.#fieldValues(classBody, key));
    this.#fieldPaths.set(cacheKey, path);
    return path;
  }

  readonly #fieldPaths = new Map<string, GlobalPath | null | typeof IN_PROGRESS>();

  #fieldValues(classBody: TSESTree.ClassBody, key: string): TSESTree.Node[] {
    const values: TSESTree.Node[] = [];
    for (const element of classBody.body) {
      if (element.type === AST_NODE_TYPES.PropertyDefinition && !element.static && element.value !== null) {
        if (staticPropertyName(element.key, element.computed) === key) values.push(element.value);
      }
      if (element.type === AST_NODE_TYPES.MethodDefinition && element.kind === 'constructor') {
        for (const parameter of element.value.params) {
          if (
            parameter.type === AST_NODE_TYPES.TSParameterProperty &&
            parameter.parameter.type === AST_NODE_TYPES.Identifier &&
            parameter.parameter.name === key
          ) {
            values.push(parameter.parameter);
          }
        }
      }
    }
    values.push(...(this.#thisAssignments(classBody).get(key) ?? []));
    return values;
  }

  #walk(node: TSESTree.Node, visit: (node: TSESTree.Node) => void): void {
    walkNodes(node, this.#sourceCode.visitorKeys, visit);
  }

  /**
   * `for (const stream of [process.stdout, process.stderr])` (or `new Set([…])`): the element
   * variable denotes what the literal collection's resolvable elements have in common.
   */
  #pathOfLoopElement(declarator: TSESTree.VariableDeclarator): GlobalPath | null {
    const loop = declarator.parent.parent;
    if (loop?.type !== AST_NODE_TYPES.ForOfStatement || loop.left !== declarator.parent) return null;
    return this.#mergeResolvable(this.#literalElements(loop.right));
  }

  /** Elements of `[a, b]`, `new Set([a, b])`, or a local const holding one of those. */
  #literalElements(rawCollection: TSESTree.Node): TSESTree.Node[] {
    let collection = skipTypeWrappers(rawCollection);
    if (collection.type === AST_NODE_TYPES.Identifier) {
      const init = this.constantInitOf(collection);
      if (init === null) return [];
      collection = skipTypeWrappers(init);
    }
    if (collection.type === AST_NODE_TYPES.NewExpression && collection.arguments.length === 1) {
      const [source] = collection.arguments;
      if (source?.type === AST_NODE_TYPES.ArrayExpression) collection = source;
    }
    if (collection.type !== AST_NODE_TYPES.ArrayExpression) return [];
    return collection.elements.flatMap((element) =>
      element === null || element.type === AST_NODE_TYPES.SpreadElement ? [] : [element],
    );
  }

  /** `require('node:process')` (with the real `require`) is `process`. */
  #pathOfRequire(call: TSESTree.CallExpression): GlobalPath | null {
    if (call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'require') return null;
    const moduleName = staticKeyArgument(call.arguments[0]);
    if (moduleName === null || call.arguments.length !== 1) return null;
    const moduleRoot = MODULES_EXPORTING_GLOBALS.get(moduleName);
    if (moduleRoot === undefined || !this.isGlobalReference(call.callee)) return null;
    return moduleRoot;
  }
}

/**
 * The class body whose instance `this` denotes at `node`: arrow functions pass `this` through,
 * methods, accessors, field initialisers and the constructor bind it; any other function has
 * its own `this` (`null`).
 */
function enclosingClassBodyOfThis(node: TSESTree.Node): TSESTree.ClassBody | null {
  let current: TSESTree.Node | undefined = node.parent;
  while (current) {
    if (current.type === AST_NODE_TYPES.FunctionExpression || current.type === AST_NODE_TYPES.FunctionDeclaration) {
      const method = current.parent;
      if (method?.type !== AST_NODE_TYPES.MethodDefinition || method.static) return null;
      return method.parent;
    }
    if (current.type === AST_NODE_TYPES.PropertyDefinition) return current.static ? null : current.parent;
    if (current.type === AST_NODE_TYPES.StaticBlock || current.type === AST_NODE_TYPES.Program) return null;
    current = current.parent;
  }
  return null;
}

type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

/** A binding that is assigned again after its declaration may hold anything. */
function isNeverReassigned(variable: TSESLint.Scope.Variable): boolean {
  return variable.references.every((reference) => !reference.isWrite() || reference.init === true);
}

/** A variable the environment provides (configured globals, TypeScript lib globals). */
function isEnvironmentGlobal(variable: TSESLint.Scope.Variable): boolean {
  return variable.scope.type === 'global' && variable.defs.length === 0;
}

/**
 * The property keys leading from a declarator's pattern root to one of its bindings:
 * `{ stdout: { write } }` gives `['stdout', 'write']` for `write`; `[]` when the binding is
 * the root itself; `null` through array or rest patterns (no static key).
 */
function keysFromPatternRoot(binding: TSESTree.Node, root: TSESTree.Node): string[] | null {
  const keys: string[] = [];
  let current: TSESTree.Node = binding;
  while (current !== root) {
    const parent = current.parent;
    if (!parent) return null;
    if (parent.type === AST_NODE_TYPES.AssignmentPattern && parent.left === current) {
      current = parent;
      continue;
    }
    if (parent.type === AST_NODE_TYPES.Property && parent.value === current) {
      const key = staticPropertyName(parent.key, parent.computed);
      if (key === null || parent.parent.type !== AST_NODE_TYPES.ObjectPattern) return null;
      keys.unshift(key);
      current = parent.parent;
      continue;
    }
    return null;
  }
  return keys;
}

/**
 * The calls of this file that run `fn`, as the shared call graph resolves them (`fn(…)`,
 * `this.method(…)`, `obj.method(…)`, `fn.call(self, …)`). The graph follows functions bound by
 * `const`; compiled code binds them with `var` (`var mockConsole = function () {…}`), so a
 * `var` / `let` that is never assigned again is followed here too, by its name.
 */
export function inFileCallsOf(
  sourceCode: Readonly<TSESLint.SourceCode>,
  fn: FunctionNode,
): readonly TSESTree.CallExpression[] {
  if (isUnnamedLiteral(fn)) return [];
  // A function called by its own name is answered from the name's references, without a call graph.
  const calls = getNamedCallSites(sourceCode).callersOf(fn) ?? getCallGraph(sourceCode).callersOf(fn);
  const declarator = fn.parent;
  if (
    declarator.type !== AST_NODE_TYPES.VariableDeclarator ||
    declarator.init !== fn ||
    declarator.id.type !== AST_NODE_TYPES.Identifier ||
    declarator.parent.kind === 'const'
  ) {
    return calls;
  }
  const name = declarator.id.name;
  const variable = sourceCode.getDeclaredVariables(declarator).find((candidate) => candidate.name === name);
  if (variable === undefined || !isNeverReassigned(variable)) return calls;
  const byName = variable.references.flatMap((reference) => {
    const call = reference.identifier.parent;
    return call?.type === AST_NODE_TYPES.CallExpression && call.callee === reference.identifier ? [call] : [];
  });
  return [...new Set([...calls, ...byName])];
}

/**
 * A function literal no call of the file can run: written as an argument (`test('…', () =>
 * {…})`, `new Promise((resolve) => …)`) or assigned to a member (`console.info = function () {
 * … }`). The call graph knows functions by a name (a declaration, a variable, a method, a
 * property of a `const` object literal) or as the callee of an IIFE, so it finds no call of
 * such a literal and nothing that names it; asking needs no call graph.
 */
export function isUnnamedLiteral(fn: FunctionNode): boolean {
  const parent = fn.parent;
  if (parent.type === AST_NODE_TYPES.CallExpression || parent.type === AST_NODE_TYPES.NewExpression) {
    return parent.callee !== fn && (parent.arguments as readonly TSESTree.Node[]).includes(fn);
  }
  return parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === fn && parent.left.type === AST_NODE_TYPES.MemberExpression;
}
