/**
 * The forms that rebind a process-wide output target, and how to tell a patch from a
 * restore by the value it puts back. Built on the target and path knowledge of
 * `global-output.ts`.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { skipTypeWrappers } from './ast-children.js';
import type { GlobalOutputTargets, GlobalPath, GlobalPathResolver } from './global-output.js';
import {
  ANY_MEMBER,
  formatPath,
  pathsUnify,
  staticKeyArgument,
  staticPropertyName,
} from './global-output.js';

export type RebindingForm =
  | 'assignment'
  | 'Object.defineProperty'
  | 'Object.defineProperties'
  | 'Object.assign'
  | 'Reflect.set'
  | 'Reflect.defineProperty'
  | 'delete'
  | 'test double';

/** One place where code puts something else in a target's place. */
export interface RebindingSite {
  /** Where a report lands: the assigned member, or the call. */
  readonly reportNode: TSESTree.Node;
  /** The whole rebinding expression; its end is when the new binding takes effect. */
  readonly extent: TSESTree.Node;
  readonly path: GlobalPath;
  readonly form: RebindingForm;
  /** What is put in place, when one expression says so; for `defineProperty` the descriptor. */
  readonly value: TSESTree.Node | null;
  readonly valueIsDescriptor: boolean;
}

/** Calls that install a test double on `(object, key)`: `vi.spyOn`, `jest.spyOn`, `sinon.stub`, node:test `mock.method`… */
const TEST_DOUBLE_METHODS = new Set([
  'stubGlobal',
  'spyOn',
  'stub',
  'spy',
  'replace',
  'replaceGetter',
  'replaceSetter',
  'replaceProperty',
  'method',
  'getter',
  'setter',
]);

/** Names of the `Object.*` / `Reflect.*` methods that rebind (see `fromCall`). */
const REBINDING_METHODS = new Set(['defineProperty', 'defineProperties', 'assign', 'set']);

/** The answer for the many nodes that rebind nothing: one shared array, none allocated per node. */
const NO_SITES: readonly RebindingSite[] = Object.freeze([]);

/** Finds rebinding sites in assignments and calls; every site it returns is a target. */
export class RebindingFinder {
  readonly #resolver: GlobalPathResolver;
  readonly #targets: GlobalOutputTargets;
  /** Test doubles are only reported on request; otherwise their (common) method names are not resolved. */
  readonly #findTestDoubles: boolean;

  constructor(resolver: GlobalPathResolver, targets: GlobalOutputTargets, findTestDoubles = true) {
    this.#resolver = resolver;
    this.#targets = targets;
    this.#findTestDoubles = findTestDoubles;
  }

  /** `=`, compound and logical assignment, and destructuring-assignment targets. */
  fromAssignment(assignment: TSESTree.AssignmentExpression): readonly RebindingSite[] {
    const left = assignment.left;
    // Most assignments have one place on the left: tested before any array is built for it.
    if (left.type !== AST_NODE_TYPES.ArrayPattern && left.type !== AST_NODE_TYPES.ObjectPattern && !this.#targets.mayBeAssignedTarget(left)) {
      return NO_SITES;
    }
    const leaves = assignmentLeaves(left);
    // Only a plain `=` of one target puts a known value in place; `+=`/`||=`/destructuring never restore.
    const value = assignment.operator === '=' && leaves.length === 1 ? assignment.right : null;
    const sites: RebindingSite[] = [];
    for (const leaf of leaves) {
      if (!this.#targets.mayBeAssignedTarget(leaf)) continue;
      const path = this.#resolver.assignedPath(leaf);
      if (path === null || !this.#targets.isTarget(path)) continue;
      sites.push({ reportNode: leaf, extent: assignment, path, form: 'assignment', value, valueIsDescriptor: false });
    }
    return sites;
  }

  /**
   * `delete console`, `delete globalThis.console`, `delete process.stdout.write`: the name
   * then denotes nothing, or what the prototype has, instead of what was bound.
   */
  fromDelete(expression: TSESTree.UnaryExpression): readonly RebindingSite[] {
    if (expression.operator !== 'delete') return NO_SITES;
    const place = skipTypeWrappers(expression.argument);
    if (!this.#targets.mayBeAssignedTarget(place)) return NO_SITES;
    const path = this.#resolver.assignedPath(place);
    if (path === null || !this.#targets.isTarget(path)) return NO_SITES;
    return [{ reportNode: place, extent: expression, path, form: 'delete', value: null, valueIsDescriptor: false }];
  }

  /** `Object.defineProperty/ies`, `Object.assign`, `Reflect.set/defineProperty`, test doubles. */
  fromCall(call: TSESTree.CallExpression): readonly RebindingSite[] {
    const callee = skipTypeWrappers(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || call.arguments.length === 0) return NO_SITES;
    // Syntactic filter first: most calls are none of these, and resolving is the costly part.
    const method = staticPropertyName(callee.property, callee.computed);
    if (method === null) return NO_SITES;
    const isRebindingMethod = REBINDING_METHODS.has(method);
    if (!isRebindingMethod && !(this.#findTestDoubles && TEST_DOUBLE_METHODS.has(method))) return NO_SITES;
    // `map.set(k, v)` is everywhere; only `Reflect.set` (by that name) can rebind.
    if (method === 'set' && !isNamed(callee.object, 'Reflect')) return NO_SITES;
    const calleePath = this.#resolver.pathOf(callee);
    const [first, second, third] = call.arguments;
    switch (calleePath === null ? '' : formatPath(calleePath)) {
      case 'Object.defineProperty':
        return this.#keyed(call, 'Object.defineProperty', first, second, third ?? null, true);
      case 'Reflect.defineProperty':
        return this.#keyed(call, 'Reflect.defineProperty', first, second, third ?? null, true);
      case 'Reflect.set':
        return this.#keyed(call, 'Reflect.set', first, second, third ?? null, false);
      case 'Object.defineProperties':
        return this.#fromPropertyMap(call, 'Object.defineProperties', first, second === undefined ? [] : [second], true);
      case 'Object.assign':
        return this.#fromPropertyMap(call, 'Object.assign', first, call.arguments.slice(1), false);
      default:
        return this.#fromTestDouble(call, callee);
    }
  }

  /** `(object, 'key', value)`: a static key names the member; an unknown key means any member. */
  #keyed(
    call: TSESTree.CallExpression,
    form: RebindingForm,
    objectArgument: TSESTree.CallExpressionArgument | undefined,
    keyArgument: TSESTree.CallExpressionArgument | undefined,
    value: TSESTree.Node | null,
    valueIsDescriptor: boolean,
  ): RebindingSite[] {
    const objectPath = this.#objectPath(objectArgument);
    if (objectPath === null || keyArgument === undefined) return [];
    const key = staticKeyArgument(keyArgument) ?? ANY_MEMBER;
    return this.#siteIfTarget(call, call, [...objectPath, key], form, value, valueIsDescriptor);
  }

  /** `Object.assign(target, { write })` and `Object.defineProperties(target, { write: … })`. */
  #fromPropertyMap(
    call: TSESTree.CallExpression,
    form: RebindingForm,
    objectArgument: TSESTree.CallExpressionArgument | undefined,
    sources: readonly TSESTree.CallExpressionArgument[],
    valueIsDescriptor: boolean,
  ): RebindingSite[] {
    const objectPath = this.#objectPath(objectArgument);
    if (objectPath === null) return [];
    const sites: RebindingSite[] = [];
    for (const source of sources) {
      const properties = source.type === AST_NODE_TYPES.ObjectExpression ? source.properties : null;
      if (properties === null) {
        sites.push(...this.#siteIfTarget(call, call, [...objectPath, ANY_MEMBER], form, source, valueIsDescriptor));
        continue;
      }
      for (const property of properties) {
        const key =
          property.type === AST_NODE_TYPES.Property ? staticPropertyName(property.key, property.computed) : null;
        const value = property.type === AST_NODE_TYPES.Property ? property.value : null;
        sites.push(
          ...this.#siteIfTarget(call, call, [...objectPath, key ?? ANY_MEMBER], form, value, valueIsDescriptor),
        );
      }
    }
    return sites;
  }

  #fromTestDouble(call: TSESTree.CallExpression, callee: TSESTree.MemberExpression): RebindingSite[] {
    const method = staticPropertyName(callee.property, callee.computed);
    const [first, second] = call.arguments;
    // `vi.stubGlobal('console', fake)`
    if (method === 'stubGlobal') {
      const name = staticKeyArgument(first);
      return name === null ? [] : this.#siteIfTarget(call, call, [name], 'test double', null, false);
    }
    if (method === null || !TEST_DOUBLE_METHODS.has(method)) return [];
    const objectPath = this.#objectPath(first);
    if (objectPath === null) return [];
    // `sinon.stub(console)` replaces every method.
    const key = second === undefined ? ANY_MEMBER : staticKeyArgument(second);
    if (key === null) return [];
    return this.#siteIfTarget(call, call, [...objectPath, key], 'test double', null, false);
  }

  #objectPath(argument: TSESTree.CallExpressionArgument | undefined): GlobalPath | null {
    if (argument === undefined || argument.type === AST_NODE_TYPES.SpreadElement) return null;
    return this.#resolver.pathOf(argument);
  }

  #siteIfTarget(
    reportNode: TSESTree.Node,
    extent: TSESTree.Node,
    path: GlobalPath,
    form: RebindingForm,
    value: TSESTree.Node | null,
    valueIsDescriptor: boolean,
  ): RebindingSite[] {
    if (!this.#targets.isTarget(path)) return [];
    return [{ reportNode, extent, path, form, value, valueIsDescriptor }];
  }
}

/** `name` or `globalThis.name` (aliases of `Reflect` are not followed for `set`). */
function isNamed(node: TSESTree.Node, name: string): boolean {
  const unwrapped = skipTypeWrappers(node);
  if (unwrapped.type === AST_NODE_TYPES.Identifier) return unwrapped.name === name;
  return (
    unwrapped.type === AST_NODE_TYPES.MemberExpression && staticPropertyName(unwrapped.property, unwrapped.computed) === name
  );
}

/** The assigned places of an assignment's left side, through destructuring patterns. */
function assignmentLeaves(left: TSESTree.Node): TSESTree.Node[] {
  switch (left.type) {
    case AST_NODE_TYPES.ArrayPattern:
      return left.elements.flatMap((element) => (element === null ? [] : assignmentLeaves(element)));
    case AST_NODE_TYPES.ObjectPattern:
      return left.properties.flatMap((property) =>
        property.type === AST_NODE_TYPES.Property ? assignmentLeaves(property.value) : assignmentLeaves(property),
      );
    case AST_NODE_TYPES.AssignmentPattern:
      return assignmentLeaves(left.left);
    case AST_NODE_TYPES.RestElement:
      return assignmentLeaves(left.argument);
    default:
      return [left];
  }
}

/**
 * Recognises values that put the original back: an expression that resolves to the target
 * itself (`const original = console.log; … console.log = original`), optionally `.bind(…)`,
 * a holder ever assigned from the target (`this.originalWrite = process.stdout.write`,
 * `saved[name] = console[name]`, `const originals = { log: console.log }`), and descriptors of
 * such values (`{ value: original }`, a saved `Object.getOwnPropertyDescriptor(…)`).
 *
 * Holders are compared by shape (`this.original`, `saved.*`), not by binding: a restore
 * value only ever spares a report, so a loose match costs a missed report at worst.
 */
export class SavedOriginals {
  readonly #resolver: GlobalPathResolver;
  /**
   * Candidate saves, each resolved only when a restore asks about its holder: resolving a value
   * may build the file's call graph (a parameter's call sites), and most candidates
   * (`const x = y.z` anywhere in the file) hold nothing a restore puts back.
   */
  readonly #candidates: SaveCandidate[] = [];
  /**
   * Holders and values as noted, in pairs, made into candidates only when a restore first
   * asks: every assignment and declaration of a file that passes the pre-check is noted, and
   * most such files have no site, so nothing is allocated per node until then.
   */
  readonly #noted: Array<TSESTree.Node | HolderKey> = [];

  constructor(resolver: GlobalPathResolver) {
    this.#resolver = resolver;
  }

  /** Records `holder = <target>`, `holder = { key: <target> }` and `holder = { ...<target> }`. */
  noteSave(holder: TSESTree.Node, value: TSESTree.Node): void {
    this.#noted.push(holder, value);
  }

  /** Like `noteSave`, for holders without a node of their own (a class field is `this.<name>`). */
  noteSaveAt(holderKey: HolderKey, value: TSESTree.Node): void {
    this.#noted.push(holderKey, value);
  }

  /** Makes the noted saves candidates, in the order they were noted. */
  #settleNoted(): void {
    const noted = this.#noted;
    for (let index = 0; index + 1 < noted.length; index += 2) {
      const holder = noted[index]!;
      const holderKey = isHolderKey(holder) ? holder : holderKeyOf(holder);
      if (holderKey !== null) this.#candidatesFrom(holderKey, noted[index + 1] as TSESTree.Node);
    }
    noted.length = 0;
  }

  #candidatesFrom(holderKey: HolderKey, value: TSESTree.Node): void {
    const unwrapped = skipTypeWrappers(value);
    const copied = copiedObject(unwrapped);
    if (copied !== null) {
      this.#noteSaved(holderKey, copied, true);
      return;
    }
    if (unwrapped.type !== AST_NODE_TYPES.ObjectExpression) {
      this.#noteSaved(holderKey, unwrapped, false);
      return;
    }
    for (const property of unwrapped.properties) {
      if (property.type !== AST_NODE_TYPES.Property) continue;
      const key = staticPropertyName(property.key, property.computed);
      if (key !== null) this.#noteSaved([...holderKey, key], skipTypeWrappers(property.value), false);
    }
  }

  #noteSaved(holder: HolderKey, value: TSESTree.Node, copy: boolean): void {
    const unwrapped = unwrapBind(value);
    // Only a name or a member access can hold a target; literals, calls and the like cannot.
    if (unwrapped.type === AST_NODE_TYPES.Identifier || unwrapped.type === AST_NODE_TYPES.MemberExpression) {
      this.#candidates.push({ holder, value: unwrapped, copy });
    }
  }

  /** True when some save held in a place shaped like `holder` (a shallow copy, with `copiesOnly`) saved a path unifying with `path`. */
  #someSaveOf(holder: HolderKey, path: GlobalPath, copiesOnly: boolean): boolean {
    this.#settleNoted();
    return this.#candidates.some((candidate) => {
      if ((copiesOnly && !candidate.copy) || !pathsUnify(candidate.holder, holder)) return false;
      if (candidate.saved === undefined) {
        const saved = this.#resolver.pathOf(candidate.value);
        candidate.saved = saved === null || saved.length === 0 ? null : saved;
      }
      return candidate.saved !== null && pathsUnify(candidate.saved, path);
    });
  }

  /**
   * True when `site` puts back a shallow copy of its own target taken earlier
   * (`const saved = { ...console }` … `console = saved`): the members as they were come back
   * with it, so it restores patches of the members too.
   */
  restoresMembers(site: RebindingSite): boolean {
    if (site.value === null || site.valueIsDescriptor) return false;
    const holder = holderKeyOf(unwrapBind(site.value));
    return holder !== null && this.#someSaveOf(holder, site.path, true);
  }

  /** True when `site` puts back the original value of its own target. */
  restoresOriginal(site: RebindingSite): boolean {
    if (site.value === null) return false;
    const value = skipTypeWrappers(site.value);
    if (!site.valueIsDescriptor) return this.#isOriginalOf(value, site.path);
    if (value.type === AST_NODE_TYPES.ObjectExpression) {
      return value.properties.some(
        (property) =>
          property.type === AST_NODE_TYPES.Property &&
          ['value', 'get'].includes(staticPropertyName(property.key, property.computed) ?? '') &&
          this.#isOriginalOf(skipTypeWrappers(property.value), site.path),
      );
    }
    return this.#isSavedDescriptorOf(value, site.path);
  }

  #isOriginalOf(value: TSESTree.Node, path: GlobalPath): boolean {
    const unwrapped = unwrapBind(value);
    const resolved = this.#resolver.pathOf(unwrapped);
    if (resolved !== null && pathsUnify(resolved, path)) return true;
    const holder = holderKeyOf(unwrapped);
    return holder !== null && this.#someSaveOf(holder, path, false);
  }

  /** `const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'write')`. */
  #isSavedDescriptorOf(value: TSESTree.Node, path: GlobalPath): boolean {
    if (value.type !== AST_NODE_TYPES.Identifier) return false;
    const call = this.#descriptorSource(value);
    if (call === null) return false;
    const objectArgument = call.arguments[0];
    const key = staticKeyArgument(call.arguments[1]);
    if (objectArgument === undefined || objectArgument.type === AST_NODE_TYPES.SpreadElement || key === null) {
      return false;
    }
    const objectPath = this.#resolver.pathOf(objectArgument);
    return objectPath !== null && pathsUnify([...objectPath, key], path);
  }

  #descriptorSource(identifier: TSESTree.Identifier): TSESTree.CallExpression | null {
    const init = this.#resolver.constantInitOf(identifier);
    const unwrapped = init === null ? null : skipTypeWrappers(init);
    if (unwrapped?.type !== AST_NODE_TYPES.CallExpression) return null;
    const calleePath = this.#resolver.pathOf(unwrapped.callee);
    const callee = calleePath === null ? '' : formatPath(calleePath);
    return callee === 'Object.getOwnPropertyDescriptor' || callee === 'Reflect.getOwnPropertyDescriptor'
      ? unwrapped
      : null;
  }
}

/** A place that may keep the original of a target (itself, or a shallow copy of it). */
interface SaveCandidate {
  readonly holder: HolderKey;
  readonly value: TSESTree.Node;
  readonly copy: boolean;
  /** The global path `value` denotes, once asked (`null`: none). */
  saved?: GlobalPath | null;
}

/**
 * Helpers that compilers emit for `{ ...source }` (Babel, TypeScript's `__assign`): called as
 * `helper({}, source)` they make a shallow copy, like `Object.assign({}, source)`.
 */
const SPREAD_HELPERS = new Set(['_objectSpread', '_objectSpread2', '_extends', '__assign']);

/**
 * The object a shallow copy is taken of: `{ ...source }`, `Object.assign({}, source)`,
 * `_objectSpread({}, source)`; otherwise `null`.
 */
function copiedObject(value: TSESTree.Node): TSESTree.Node | null {
  if (value.type === AST_NODE_TYPES.ObjectExpression) {
    const [only] = value.properties;
    return value.properties.length === 1 && only?.type === AST_NODE_TYPES.SpreadElement ? only.argument : null;
  }
  if (value.type !== AST_NODE_TYPES.CallExpression || value.arguments.length !== 2) return null;
  const [target, source] = value.arguments;
  if (target?.type !== AST_NODE_TYPES.ObjectExpression || target.properties.length > 0) return null;
  if (source === undefined || source.type === AST_NODE_TYPES.SpreadElement) return null;
  const callee = skipTypeWrappers(value.callee);
  const isCopier =
    (callee.type === AST_NODE_TYPES.Identifier && SPREAD_HELPERS.has(callee.name)) ||
    (callee.type === AST_NODE_TYPES.MemberExpression &&
      isNamed(callee.object, 'Object') &&
      staticPropertyName(callee.property, callee.computed) === 'assign');
  return isCopier ? source : null;
}

/** The shape of a place that holds a value: `this.saved.log` is `['this', 'saved', 'log']`. */
export type HolderKey = readonly string[];

function isHolderKey(holder: TSESTree.Node | HolderKey): holder is HolderKey {
  return Array.isArray(holder);
}

/** The holder shape of an identifier / `this` / member chain; `*` for a computed key. */
export function holderKeyOf(rawNode: TSESTree.Node): HolderKey | null {
  const node = skipTypeWrappers(rawNode);
  if (node.type === AST_NODE_TYPES.Identifier) return [node.name];
  if (node.type === AST_NODE_TYPES.ThisExpression) return ['this'];
  if (node.type !== AST_NODE_TYPES.MemberExpression) return null;
  const base = holderKeyOf(node.object);
  if (base === null) return null;
  const key =
    node.property.type === AST_NODE_TYPES.PrivateIdentifier
      ? `#${node.property.name}`
      : (staticPropertyName(node.property, node.computed) ?? ANY_MEMBER);
  return [...base, key];
}

/** `original.bind(process.stdout)` puts `original` back. */
function unwrapBind(value: TSESTree.Node): TSESTree.Node {
  const unwrapped = skipTypeWrappers(value);
  if (
    unwrapped.type === AST_NODE_TYPES.CallExpression &&
    unwrapped.callee.type === AST_NODE_TYPES.MemberExpression &&
    staticPropertyName(unwrapped.callee.property, unwrapped.callee.computed) === 'bind'
  ) {
    return skipTypeWrappers(unwrapped.callee.object);
  }
  return unwrapped;
}

/**
 * True when a site clearly installs a new implementation (a function literal, or a descriptor
 * whose `value`/`get` is one), so it can never be the restore of an earlier patch.
 */
export function installsNewImplementation(site: RebindingSite): boolean {
  if (site.value === null) return false;
  const value = skipTypeWrappers(site.value);
  if (!site.valueIsDescriptor) return isFunctionLiteral(value);
  return (
    value.type === AST_NODE_TYPES.ObjectExpression &&
    value.properties.some(
      (property) =>
        property.type === AST_NODE_TYPES.Property &&
        ['value', 'get'].includes(staticPropertyName(property.key, property.computed) ?? '') &&
        isFunctionLiteral(skipTypeWrappers(property.value)),
    )
  );
}

function isFunctionLiteral(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.ClassExpression
  );
}

/**
 * Whether a restore's target covers a patch's: the same path, or one with `*` where the patch
 * names a member (`Object.assign(console, saved)` restores `console.log`). A restore of one
 * member does not cover a patch of an unknown member. With `membersToo` (the restore puts back
 * a copy of the whole object), it covers the object's members as well.
 */
export function restoreCovers(restorePath: GlobalPath, patchPath: GlobalPath, membersToo = false): boolean {
  return (
    (restorePath.length === patchPath.length || (membersToo && restorePath.length < patchPath.length)) &&
    restorePath.every((segment, index) => segment === ANY_MEMBER || segment === patchPath[index])
  );
}

/**
 * True when the rebinding only runs where its target's object does not exist: a shim inside
 * `if (typeof console === 'undefined') { console = … }` (possibly `&&`-joined with other tests)
 * binds something where nothing was bound, so nobody's output is redirected.
 */
export function isShimForMissingGlobal(site: RebindingSite, resolver: GlobalPathResolver): boolean {
  let child: TSESTree.Node = site.extent;
  for (let current = site.extent.parent; current; child = current, current = current.parent) {
    if (current.type !== AST_NODE_TYPES.IfStatement || current.consequent !== child) continue;
    if (undefinedChecks(current.test).some((checked) => isPrefixOf(resolver.pathOf(checked), site.path))) return true;
  }
  return false;
}

/** The operands `E` of `typeof E === 'undefined'` tests in an `&&` chain. */
function undefinedChecks(test: TSESTree.Expression): TSESTree.Node[] {
  if (test.type === AST_NODE_TYPES.LogicalExpression && test.operator === '&&') {
    return [...undefinedChecks(test.left), ...undefinedChecks(test.right)];
  }
  if (test.type !== AST_NODE_TYPES.BinaryExpression || !['===', '=='].includes(test.operator)) return [];
  const [typeofSide, literalSide] =
    test.left.type === AST_NODE_TYPES.UnaryExpression ? [test.left, test.right] : [test.right, test.left];
  if (typeofSide.type !== AST_NODE_TYPES.UnaryExpression || typeofSide.operator !== 'typeof') return [];
  return literalSide.type === AST_NODE_TYPES.Literal && literalSide.value === 'undefined' ? [typeofSide.argument] : [];
}

function isPrefixOf(prefix: GlobalPath | null, path: GlobalPath): boolean {
  return (
    prefix !== null &&
    prefix.length > 0 &&
    prefix.length <= path.length &&
    prefix.every((segment, index) => segment === path[index])
  );
}
