/**
 * A test on the global references scope analysis has already found that rules out, before
 * any traversal, files in which the built-in targets cannot be rebound. Most files use
 * `console` or `process` only to call or read them (`console.log(…)`, `process.env.X`,
 * `process.exitCode = 1`, `typeof window`); a rebinding needs one of the shapes below at a
 * reference to one of those globals (or to the global object, `require`, or an import of
 * `node:process` / `node:console`), so a file with none of them is skipped whole. Only those
 * few references are looked at, not the file.
 *
 * Each shape is a superset of what `RebindingFinder` can report on the built-in targets:
 * - the object, or a member of it that is or holds a target, assigned, listed in a
 *   destructuring pattern, or deleted (`console =`, `console.log ||=`,
 *   `[process.stdout.write] = …`, `delete console.log`); of a stream only `write` is a target
 *   (`process.stdout.fd = …` is none);
 * - a computed member of `console` or a stream rebound (`console[name] = …`), or one of
 *   `process` that may be a stream (`process[std].write = …`); a computed member of the global
 *   object never is one (`GlobalPathResolver` names it `*`, which no target starts with);
 * - a stream (`process.stdout`) or the object itself used as a value that may go on to a
 *   place the resolver follows: that is how aliases, parameters, fields,
 *   `Object.assign(console, …)`, `Object.defineProperty(process.stdout, …)` and test doubles
 *   reach it. A value that is only tested, compared, printed, returned or given as a default
 *   (`typeof window`, `x === console`, `return console`, `({ api = globalThis })`) goes nowhere
 *   the resolver looks. `require('node:process')` by a static name is `process` (a computed
 *   name resolves to nothing), looked at the same way: `const { platform } = require('process')`
 *   leads nowhere.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, ASTUtils } from '@typescript-eslint/utils';

import { skipTypeWrappers } from './ast-children.js';

const TARGET_OBJECTS = new Set(['console', 'process']);
const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);
const STREAMS = new Set(['stdout', 'stderr']);

/** The global names both pre-checks look up in the global scope's variables. */
const NAMES_OF_INTEREST: readonly string[] = [...TARGET_OBJECTS, ...GLOBAL_OBJECTS, 'require'];

/** What a reference to a global of this name may lead to; `null` for the names neither pre-check follows. */
function kindOfGlobalName(name: string): TargetStep | 'require' | null {
  switch (name) {
    case 'console':
      return 'console';
    case 'process':
      return 'process';
    case 'globalThis':
    case 'global':
    case 'window':
    case 'self':
      return 'global';
    case 'require':
      return 'require';
    default:
      return null;
  }
}

/** The question a pre-check asks at each place that holds a target object (`mayRebindAt`, `flowsToCall`). */
type PlaceTest = (node: TSESTree.Node, step: TargetStep, scopeManager: TSESLint.Scope.ScopeManager, hops: number) => boolean;

/**
 * True when `test` holds at some reference to `console`, `process` or the global object that
 * resolves to the global (unresolved, or to the built-in variable of that name), or some
 * `require` of `node:process` / `node:console` is found. Runs on every file the rule sees, most
 * of which it skips: plain loops, no array, closure or iterator allocated (their garbage was
 * charged to this pre-check inside a lint).
 */
function someGlobalReference(
  globalScope: TSESLint.Scope.Scope,
  scopeManager: TSESLint.Scope.ScopeManager,
  test: PlaceTest,
): boolean {
  const through = globalScope.through;
  for (let index = 0; index < through.length; index++) {
    if (holdsAtGlobal(through[index]!.identifier, scopeManager, test)) return true;
  }
  for (let nameIndex = 0; nameIndex < NAMES_OF_INTEREST.length; nameIndex++) {
    const variable = globalScope.set.get(NAMES_OF_INTEREST[nameIndex]!);
    if (variable === undefined || variable.defs.length > 0) continue;
    const references = variable.references;
    for (let index = 0; index < references.length; index++) {
      if (holdsAtGlobal(references[index]!.identifier, scopeManager, test)) return true;
    }
  }
  return false;
}

function holdsAtGlobal(
  identifier: TSESTree.Identifier | TSESTree.JSXIdentifier,
  scopeManager: TSESLint.Scope.ScopeManager,
  test: PlaceTest,
): boolean {
  if (identifier.type !== AST_NODE_TYPES.Identifier) return false;
  const kind = kindOfGlobalName(identifier.name);
  if (kind === null) return false;
  if (kind !== 'require') return test(identifier, kind, scopeManager, 0);
  // `require('node:process')` is `process` wherever its value goes (`const { platform } = …` leads nowhere).
  const step = requiredTargetStep(identifier);
  return step !== null && test(identifier.parent, step, scopeManager, 0);
}

/**
 * A backslash that may spell part of a name: a `\u` / `\x` / octal escape, or a line
 * continuation inside a string (`'con\<newline>sole'` is `'console'`). A text test for names
 * must let a text with one through.
 */
export const NAME_ESCAPE = /\\[ux0-7\n\r\u2028\u2029]/u;

/** False when no built-in target can be rebound in the file `scopeManager` describes. */
export function mayRebindBuiltInTargets(scopeManager: TSESLint.Scope.ScopeManager | null): boolean {
  const globalScope = scopeManager?.globalScope;
  if (!globalScope) return true;
  return someGlobalReference(globalScope, scopeManager, mayRebindAt) || someImportedTarget(scopeManager, mayRebindAt);
}

/**
 * At a place that holds `console`, `process`, a stream of `process` or the global object
 * (`step` says which): true when a target may be rebound through it.
 */
function mayRebindAt(node: TSESTree.Node, step: TargetStep, scopeManager: TSESLint.Scope.ScopeManager, hops: number): boolean {
  const parent = node.parent;
  if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) {
    if (step === 'stream' && parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === node) return false;
    return mayGoOnAsValue(node, step, scopeManager, hops);
  }
  return mayRebindThroughMember(parent, step, scopeManager, hops);
}

/** At a member of a place that holds a target object (`step` says which): true when a target may be rebound through it. */
function mayRebindThroughMember(member: TSESTree.MemberExpression, step: TargetStep, scopeManager: TSESLint.Scope.ScopeManager, hops: number): boolean {
  const key = memberName(member);
  switch (step) {
    // `globalThis[key]` resolves to the path `*`, which no target starts with.
    case 'global':
      if (key === null) return false;
      if (TARGET_OBJECTS.has(key)) return mayRebindAt(member, key as TargetStep, scopeManager, hops);
      return GLOBAL_OBJECTS.has(key) && mayRebindAt(member, 'global', scopeManager, hops);
    // `process.env.X`, `process.exitCode = 1`: only the streams of `process` are targets. A
    // computed member (`process[std]`) may be one: it is looked at as a stream.
    case 'process':
      if (key === null) return mayRebindAt(member, 'stream', scopeManager, hops);
      return STREAMS.has(key) && mayRebindAt(member, 'stream', scopeManager, hops);
    // Every member of `console` is a target; reading one (`console.log(…)`, `console[level]`)
    // rebinds nothing.
    case 'console':
      return isRebound(member);
    // Of a stream only `write` is (`process.stdout.fd = …` rebinds no target).
    case 'stream':
      return (key === null || key === 'write') && isRebound(member);
  }
}

/**
 * The target object `require('node:process')` and the like are (the call is the identifier's
 * parent), or null; a computed name resolves to nothing.
 */
function requiredTargetStep(identifier: TSESTree.Identifier): 'process' | 'console' | null {
  const call = identifier.parent;
  if (call.type !== AST_NODE_TYPES.CallExpression || call.callee !== identifier) return null;
  const name = staticString(call.arguments[0]);
  return name === null ? null : targetModuleStep(name);
}

/** A string literal or a template literal without expressions, as `staticKeyArgument` reads it. */
function staticString(node: TSESTree.Node | undefined): string | null {
  if (node?.type === AST_NODE_TYPES.Literal) return typeof node.value === 'string' ? node.value : null;
  if (node?.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/**
 * False when a target used as a value (`console`, `process.stdout`, the global object: `step`
 * says which) ends where `GlobalPathResolver` never looks: tested (`typeof window`,
 * `if (console)`), compared (`x === console`, `'crypto' in globalThis`), printed in a template,
 * dropped as a statement, returned (a call's result resolves to nothing, `require` aside), put
 * in an object literal (`{ stream: process.stdout }`: the resolver reads no literal's
 * properties), destructured into members that lead to no target (`const { pid } = process`),
 * replaced whole where that is no target (`global.process = …`), assigned to a variable or to
 * a member other than `this.field` (the resolver follows neither), called, or handed to a call
 * that neither rebinds (`Object.assign`, `Object.defineProperty`, `Reflect.set`…) nor may run a
 * function of this file (`child.stdout.pipe(process.stdout)`). Anywhere else it may go on (an
 * alias, which is followed, an argument, a field, an array, `delete`), and the answer is true.
 */
function mayGoOnAsValue(start: TSESTree.Node, step: TargetStep, scopeManager: TSESLint.Scope.ScopeManager, hops: number): boolean {
  let value: TSESTree.Node = start;
  for (let parent = value.parent; parent; value = parent, parent = parent.parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.LogicalExpression:
        continue;
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === value) return false;
        continue;
      case AST_NODE_TYPES.UnaryExpression:
        return parent.operator === 'delete';
      case AST_NODE_TYPES.BinaryExpression:
      case AST_NODE_TYPES.ExpressionStatement:
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
      case AST_NODE_TYPES.SwitchStatement:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.ReturnStatement:
        return false;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        // The value is the arrow's expression body: returned.
        return parent.body !== value;
      case AST_NODE_TYPES.Property:
        return !isObjectLiteralValue(parent, value);
      // A member of the wrapped value (`(window as any).safari`) is a member of the value.
      case AST_NODE_TYPES.MemberExpression:
        return parent.object !== value || mayRebindThroughMember(parent, step, scopeManager, hops);
      // A default value (`({ fetchAPI = globalThis }) => …`): the resolver reads no default.
      case AST_NODE_TYPES.AssignmentPattern:
        return parent.right !== value;
      case AST_NODE_TYPES.VariableDeclarator: {
        if (parent.init !== value) return true;
        if (destructuresOnlyDeadEnds(parent.id, step)) return false;
        // `const w = window as any`: the alias is looked at where it is used, like the original.
        if (parent.id.type !== AST_NODE_TYPES.Identifier || hops >= MAX_ALIAS_HOPS) return true;
        const aliasName = parent.id.name;
        const alias = scopeManager.getDeclaredVariables(parent).find((variable) => variable.name === aliasName);
        return (
          alias === undefined ||
          alias.references.some((reference) => reference.isRead() && mayRebindAt(reference.identifier, step, scopeManager, hops + 1))
        );
      }
      case AST_NODE_TYPES.AssignmentExpression:
        // `process = …`, `globalThis = …` replace no target; `console = …`, `process.stdout = …` do.
        if (parent.left === value) return !(step === 'process' || step === 'global');
        if (isFieldOfThis(parent.left)) return true;
        continue;
      case AST_NODE_TYPES.CallExpression: {
        if (parent.callee === value) return false;
        if (isRebindingCall(parent)) return true;
        if (!mayRunFunctionOfThisFile(parent.callee, scopeManager)) return false;
        // `defd(self)` with `function defd(o) { return typeof o !== 'undefined' && o }`: the
        // parameter is looked at where it is used, like the original. (Not so in
        // `mayPassTargetsToCalls`: there a bound parameter is itself what the resolver needs.)
        const parameter = hops < MAX_ALIAS_HOPS ? parameterReceiving(parent, value, scopeManager) : undefined;
        if (parameter === undefined) return true;
        return parameter !== null && parameter.references.some((reference) => reference.isRead() && mayRebindAt(reference.identifier, step, scopeManager, hops + 1));
      }
      case AST_NODE_TYPES.NewExpression:
        return parent.callee !== value && constructsClassOfThisFile(parent, scopeManager);
      default:
        return true;
    }
  }
  return true;
}

/** `{ key: value }` in an object literal (not a destructuring pattern, where `value` is assigned). */
function isObjectLiteralValue(property: TSESTree.Property, value: TSESTree.Node): boolean {
  return property.value === value && property.parent.type === AST_NODE_TYPES.ObjectExpression;
}

/**
 * True when `pattern` destructures only static keys none of which leads from `step` towards a
 * target (`const { pid, env } = process`, `const { setInterval } = global`): the bindings it
 * makes can name no target. Rest elements and computed keys may name anything.
 */
function destructuresOnlyDeadEnds(pattern: TSESTree.Node, step: TargetStep): boolean {
  if (pattern.type !== AST_NODE_TYPES.ObjectPattern) return false;
  return pattern.properties.every((property) => {
    if (property.type !== AST_NODE_TYPES.Property) return false;
    const key = property.computed ? staticString(property.key) : property.key.type === AST_NODE_TYPES.Identifier ? property.key.name : staticString(property.key);
    return key !== null && nextStep(step, key) === null;
  });
}

/**
 * True when `test` holds at some use of a binding of `import … from 'node:process'` /
 * `'node:console'` (and the bare names) that may name a target: `import process from
 * 'node:process'` is `process`, `import { stdout } from 'node:process'` a stream;
 * `import { env } from 'node:process'` or `import { log } from 'node:console'` name no target
 * and are left out.
 */
function someImportedTarget(scopeManager: TSESLint.Scope.ScopeManager, test: PlaceTest): boolean {
  const program = scopeManager.globalScope?.block;
  if (program?.type !== AST_NODE_TYPES.Program) return false;
  const body = program.body;
  for (let statementIndex = 0; statementIndex < body.length; statementIndex++) {
    const statement = body[statementIndex]!;
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration) continue;
    const moduleStep = targetModuleStep(statement.source.value);
    if (moduleStep === null) continue;
    for (const variable of scopeManager.getDeclaredVariables(statement)) {
      const specifier = variable.defs[0]?.node;
      let step: TargetStep | 'any' | null = moduleStep;
      if (specifier?.type === AST_NODE_TYPES.ImportSpecifier) {
        const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
        if (imported !== 'default') step = nextStep(moduleStep, imported);
      }
      if (step === null || step === 'any') continue;
      for (const reference of variable.references) {
        if (test(reference.identifier, step, scopeManager, 0)) return true;
      }
    }
  }
  return false;
}

/** What the default export of a module names, for the modules that export a target object. */
function targetModuleStep(moduleName: string): 'process' | 'console' | null {
  switch (moduleName) {
    case 'process':
    case 'node:process':
      return 'process';
    case 'console':
    case 'node:console':
      return 'console';
    default:
      return null;
  }
}

/** A member's static name, or `null` when computed from a value. */
function memberName(member: TSESTree.MemberExpression): string | null {
  if (!member.computed) return member.property.type === AST_NODE_TYPES.Identifier ? member.property.name : null;
  return member.property.type === AST_NODE_TYPES.Literal && typeof member.property.value === 'string'
    ? member.property.value
    : null;
}

/** Assigned (also through a destructuring pattern or a TypeScript wrapper) or deleted. */
function isRebound(place: TSESTree.Node): boolean {
  let child: TSESTree.Node = place;
  for (let parent = place.parent; parent; child = parent, parent = parent.parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.AssignmentExpression:
        return parent.left === child;
      case AST_NODE_TYPES.UnaryExpression:
        return parent.operator === 'delete';
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.ArrayPattern:
      case AST_NODE_TYPES.ObjectPattern:
      case AST_NODE_TYPES.RestElement:
      case AST_NODE_TYPES.AssignmentPattern:
        continue;
      case AST_NODE_TYPES.Property:
        if (parent.parent.type === AST_NODE_TYPES.ObjectPattern) continue;
        return false;
      default:
        return false;
    }
  }
  return false;
}

// Aliases followed before giving up and answering "may pass" (cost bound; deeper chains are rare).
const MAX_ALIAS_HOPS = 3;

/**
 * False when no call of the file can be handed a built-in target, so no parameter can denote
 * one and `GlobalPathResolver` need not look for call sites (which builds the file's call
 * graph). Follows each reference to `console` / `process` / the global object up through the
 * members that lead to a target (`globalThis.console`, `process.stdout`) and through `const`
 * aliases; it answers true at an argument of a call that may run a function of this file (not
 * `Object.getOwnPropertyDescriptor(process.stdout, …)`, `write.bind(process.stdout)`,
 * `vi.spyOn(console, …)` or an imported function), and whenever the value goes somewhere
 * it does not follow (a field, an array, a destructuring, a returned value). What a file
 * imports or requires from `node:process` / `node:console` is followed the same way. The
 * global object itself (not a member of it) never counts: a parameter or field bound to it
 * resolves to nothing.
 */
export function mayPassTargetsToCalls(scopeManager: TSESLint.Scope.ScopeManager | null): boolean {
  const globalScope = scopeManager?.globalScope;
  if (!globalScope) return true;
  return someImportedTarget(scopeManager, flowsToCall) || someGlobalReference(globalScope, scopeManager, flowsToCall);
}

/** What a value on the way to a target is: the global object, `console`, `process`, or a stream. */
type TargetStep = 'global' | 'console' | 'process' | 'stream';

function nextStep(step: TargetStep, key: string | null): TargetStep | 'any' | null {
  if (key === null) return 'any';
  if (step === 'global') return TARGET_OBJECTS.has(key) ? (key as TargetStep) : GLOBAL_OBJECTS.has(key) ? 'global' : null;
  if (step === 'process') return STREAMS.has(key) ? 'stream' : null;
  // A member of `console` or of a stream (`console.log`, `stdout.write`) has no target members.
  return null;
}

function flowsToCall(
  start: TSESTree.Node,
  startStep: TargetStep,
  scopeManager: TSESLint.Scope.ScopeManager,
  hops: number,
): boolean {
  let value: TSESTree.Node = start;
  let step: TargetStep = startStep;
  for (let parent = value.parent; parent; value = parent, parent = parent.parent) {
    switch (parent.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
      case AST_NODE_TYPES.ChainExpression:
      case AST_NODE_TYPES.AwaitExpression:
      case AST_NODE_TYPES.LogicalExpression:
        continue;
      case AST_NODE_TYPES.ConditionalExpression:
        if (parent.test === value) return false;
        continue;
      case AST_NODE_TYPES.MemberExpression: {
        if (parent.object !== value) return true;
        const next = nextStep(step, memberName(parent));
        // `globalThis[key]` resolves to a path from `*`, which no merge keeps either.
        if (next === 'any') return step !== 'global';
        if (next === null) return false;
        step = next;
        continue;
      }
      // The global object itself binds a parameter or a field to the empty path, which the
      // resolver drops where values merge (it keeps only paths from `process` or `console`):
      // only a member taken first (`globalThis.console`) or an alias can carry it to a target.
      case AST_NODE_TYPES.CallExpression:
        return step !== 'global' && parent.callee !== value && mayRunFunctionOfThisFile(parent.callee, scopeManager);
      case AST_NODE_TYPES.NewExpression:
        return step !== 'global' && parent.callee !== value && constructsClassOfThisFile(parent, scopeManager);
      case AST_NODE_TYPES.AssignmentExpression:
        // Rebound, not handed on; or stored where the resolver reads only `this.field = …`.
        if (parent.left === value) return false;
        if (isFieldOfThis(parent.left)) return step !== 'global';
        continue;
      // A default value (`({ fetchAPI = globalThis }) => …`): the resolver reads no default.
      case AST_NODE_TYPES.AssignmentPattern:
        return parent.right !== value;
      // A call's result resolves to nothing (`require` aside): a returned value binds no parameter.
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.UnaryExpression:
      case AST_NODE_TYPES.BinaryExpression:
      case AST_NODE_TYPES.ExpressionStatement:
      case AST_NODE_TYPES.IfStatement:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.TaggedTemplateExpression:
        return false;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return parent.body !== value;
      case AST_NODE_TYPES.Property:
        return !isObjectLiteralValue(parent, value);
      case AST_NODE_TYPES.VariableDeclarator: {
        if (parent.init === value && destructuresOnlyDeadEnds(parent.id, step)) return false;
        if (parent.init !== value || parent.id.type !== AST_NODE_TYPES.Identifier || hops >= MAX_ALIAS_HOPS) return true;
        const alias = scopeManager.getDeclaredVariables(parent).find((variable) => variable.name === (parent.id as TSESTree.Identifier).name);
        if (alias === undefined) return true;
        return alias.references.some(
          (reference) =>
            reference.isRead() && flowsToCall(reference.identifier as TSESTree.Node, step, scopeManager, hops + 1),
        );
      }
      default:
        return true;
    }
  }
  return false;
}

/**
 * False when the callee is rooted at a global or an import (`Object.defineProperty`,
 * `vi.spyOn`, `process.stdout.write.bind`, `render` imported from a module, also by
 * `const util = require('…')`), or is a sequence (`(0, util.fn)(…)`, as compilers write
 * imported calls; the call graph resolves no such callee): such a call runs no function of
 * this file, so it binds no parameter here. `this.…`, locals and anything else may.
 */
export function mayRunFunctionOfThisFile(callee: TSESTree.Node, scopeManager: TSESLint.Scope.ScopeManager | null): boolean {
  if (scopeManager === null) return true;
  let root = skipTypeWrappers(callee);
  // `fn.call(self, …)` runs `fn`.
  if (root.type === AST_NODE_TYPES.MemberExpression && memberName(root) === 'call') root = skipTypeWrappers(root.object);
  let memberSteps = 0;
  for (;;) {
    if (root.type === AST_NODE_TYPES.MemberExpression) {
      root = root.object;
      memberSteps++;
    } else if (
      root.type === AST_NODE_TYPES.TSAsExpression ||
      root.type === AST_NODE_TYPES.TSNonNullExpression ||
      root.type === AST_NODE_TYPES.ChainExpression
    ) {
      root = root.expression;
    } else break;
  }
  // The call graph knows the functions of a file by a name (`f`) or one member below an
  // object (`this.m`, `obj.m` of `const obj = { m() {} }`); a const alias only lengthens a
  // path. A callee two members deep (`child.stdout.pipe`) runs none of them.
  if (memberSteps >= 2) return false;
  if (root.type === AST_NODE_TYPES.SequenceExpression) return false;
  if (root.type !== AST_NODE_TYPES.Identifier) return true;
  let scope: TSESLint.Scope.Scope | null = null;
  for (let node: TSESTree.Node | undefined = root; node && scope === null; node = node.parent) {
    scope = scopeManager.acquire(node, true);
  }
  const variable = scope === null ? null : ASTUtils.findVariable(scope, root);
  if (variable === null || variable.defs.length === 0) return false;
  return !variable.defs.some((definition) => definition.type === 'ImportBinding') && !variable.defs.every(isRequiredModule);
}

/** Helpers compilers wrap around `require` for default and namespace imports. */
const INTEROP_HELPERS = new Set(['_interopRequireDefault', '_interopRequireWildcard', '__importDefault', '__importStar']);

/**
 * `const util = require('…')`, `const { fn } = require('…')`, or through an interop helper
 * (`_interopRequireDefault(require('…'))`): the binding comes from another module.
 */
function isRequiredModule(definition: TSESLint.Scope.Definition): boolean {
  if (definition.type !== 'Variable') return false;
  let init: TSESTree.Node | null = definition.node.init;
  if (
    init?.type === AST_NODE_TYPES.CallExpression &&
    init.callee.type === AST_NODE_TYPES.Identifier &&
    INTEROP_HELPERS.has(init.callee.name) &&
    init.arguments.length === 1
  ) {
    init = init.arguments[0] ?? null;
  }
  return init?.type === AST_NODE_TYPES.CallExpression && init.callee.type === AST_NODE_TYPES.Identifier && init.callee.name === 'require';
}

/** `this.field` (the one assigned place `GlobalPathResolver` reads values back from). */
function isFieldOfThis(place: TSESTree.Node): boolean {
  const member = skipTypeWrappers(place);
  return member.type === AST_NODE_TYPES.MemberExpression && skipTypeWrappers(member.object).type === AST_NODE_TYPES.ThisExpression;
}

/** Method names of the calls `RebindingFinder.fromCall` reads (test doubles aside: this pre-check runs without them). */
const REBINDING_METHODS = new Set(['defineProperty', 'defineProperties', 'assign', 'set']);

function isRebindingCall(call: TSESTree.CallExpression): boolean {
  const callee = skipTypeWrappers(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const name = callee.computed ? staticString(callee.property) : callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : null;
  return name !== null && REBINDING_METHODS.has(name);
}

/** `new Name(…)` may bind the constructor parameters of a class of this file; no other `new` binds any. */
function constructsClassOfThisFile(construction: TSESTree.NewExpression, scopeManager: TSESLint.Scope.ScopeManager): boolean {
  return construction.callee.type === AST_NODE_TYPES.Identifier && mayRunFunctionOfThisFile(construction.callee, scopeManager);
}

/**
 * The parameter of a function of this file that `argument` binds at `call`, when the callee is
 * that function's own name (`hook(process.stdout)` with `function hook(stream) {…}` or
 * `const hook = (stream) => …`); `null` when it binds none the resolver reads (no parameter
 * there, a destructured, defaulted or rest one, a spread argument); `undefined` when the callee
 * is anything else (a method, an alias, an IIFE), which the caller must assume may bind one.
 */
function parameterReceiving(
  call: TSESTree.CallExpression,
  argument: TSESTree.Node,
  scopeManager: TSESLint.Scope.ScopeManager,
): TSESLint.Scope.Variable | null | undefined {
  if (call.callee.type !== AST_NODE_TYPES.Identifier) return undefined;
  const index = call.arguments.indexOf(argument as TSESTree.CallExpressionArgument);
  if (index === -1) return undefined;
  let scope: TSESLint.Scope.Scope | null = null;
  for (let node: TSESTree.Node | undefined = call; node && scope === null; node = node.parent) scope = scopeManager.acquire(node, true);
  const variable = scope === null ? null : ASTUtils.findVariable(scope, call.callee);
  const [definition, ...otherDefinitions] = variable?.defs ?? [];
  if (definition === undefined || otherDefinitions.length > 0) return undefined;
  let fn: TSESTree.Node | null | undefined;
  if (definition.type === 'FunctionName') fn = definition.node;
  else if (definition.type === 'Variable' && definition.node.id === definition.name) fn = definition.node.init && skipTypeWrappers(definition.node.init);
  if (
    fn?.type !== AST_NODE_TYPES.FunctionDeclaration &&
    fn?.type !== AST_NODE_TYPES.FunctionExpression &&
    fn?.type !== AST_NODE_TYPES.ArrowFunctionExpression
  ) {
    return undefined;
  }
  if (call.arguments.slice(0, index).some((earlier) => earlier.type === AST_NODE_TYPES.SpreadElement)) return undefined;
  const parameter = fn.params[index];
  if (parameter?.type !== AST_NODE_TYPES.Identifier) return null;
  return scopeManager.getDeclaredVariables(fn).find((candidate) => candidate.defs.some((def) => def.name === parameter)) ?? undefined;
}
