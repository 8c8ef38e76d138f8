/**
 * Which restores put a patch of process-wide output back, and when: in the same function
 * (guarded by a `finally` or not), in a callback that runs later, through a registration
 * that runs even if the work throws (a test teardown, a lifecycle hook pair, `using`, a
 * `DisposableStack`), through a call to a helper of the same file, through the restorer a
 * patch primitive returns to its caller, or only when the replacement itself runs. From that,
 * the verdict on each patch.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, ASTUtils } from '@typescript-eslint/utils';

import type { CodeOwner, FunctionNode, YieldPoint, YieldPoints } from './global-output-async.js';
import { isFunctionNode, laterCallbackBetween, ownerOf } from './global-output-async.js';
import { callArguments, getCallGraph, getNamedCallSites } from './call-graph.js';
import type { GlobalPath } from './global-output.js';
import { skipTypeWrappers } from './ast-children.js';
import { inFileCallsOf, isUnnamedLiteral, staticPropertyName } from './global-output.js';
import { mayRunFunctionOfThisFile } from './global-output-prefilter.js';
import { restoreCovers } from './global-output-rebinding.js';
import { callReceiving, isInConcurrentTest, isInsideTestBody, testRoleOf } from './test-lifecycle.js';

/** A point where a target's binding is replaced and left replaced. */
export interface PatchEvent {
  /** When it takes effect (its end): the rebinding, or the call of a patch primitive. */
  readonly node: TSESTree.Node;
  readonly reportNode: TSESTree.Node;
  readonly path: GlobalPath;
  readonly owner: CodeOwner;
  /** The replacement when it is a function literal: a restore inside it runs only when it is called. */
  readonly replacement: TSESTree.Node | null;
  /** Restores of this patch alone (calls of the restorer a primitive returned to this call). */
  readonly ownRestores: readonly RestoreEvent[];
  /** How the call's own context registers the restorer (`using r = mute()`, `t.teardown(mute())`). */
  readonly selfRegistration: Registration | null;
}

/** A point that puts a target's original binding back, or hands the restorer to a registration. */
export interface RestoreEvent {
  readonly node: TSESTree.Node;
  readonly owner: CodeOwner;
  readonly path: GlobalPath;
  /** It puts back a copy of the whole object (`console = savedCopy`): its members come back too. */
  readonly membersToo?: boolean;
}

/** A restore that runs whatever the work does: at a block's exit, or when the test ends. */
type Registration =
  | { readonly kind: 'scopeExit'; readonly block: TSESTree.Node }
  | { readonly kind: 'testEnd'; readonly lifecycle: boolean };

type Relation =
  | { readonly kind: 'sync'; readonly guarded: boolean; readonly at: number }
  | { readonly kind: 'registered'; readonly registration: Registration }
  | { readonly kind: 'later'; readonly caller: string }
  | { readonly kind: 'byReplacement' }
  | { readonly kind: 'returned' };

export type Verdict =
  | { readonly kind: 'safe' }
  | { readonly kind: 'primitive' }
  | { readonly kind: 'neverRestored' }
  | { readonly kind: 'restoredOutsideFinally' }
  | { readonly kind: 'restoredByReplacement' }
  | { readonly kind: 'activeAcrossAsync'; readonly across: string };

// Helpers that reach a restore through more calls than this are not followed (cost bound).
const MAX_HELPER_DEPTH = 3;

export class RestoreJudge {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #yieldPoints: YieldPoints;
  readonly #assumeConcurrent: boolean;

  /** Function literals installed as replacements: code in them runs only when something writes through a target. */
  readonly #replacements: readonly TSESTree.Node[];

  constructor(
    sourceCode: Readonly<TSESLint.SourceCode>,
    yieldPoints: YieldPoints,
    assumeConcurrent: boolean,
    replacements: readonly TSESTree.Node[] = [],
  ) {
    this.#sourceCode = sourceCode;
    this.#yieldPoints = yieldPoints;
    this.#assumeConcurrent = assumeConcurrent;
    this.#replacements = replacements;
  }

  /**
   * A patch in a helper that never restores it (`disableWarnings()`) judged where the helper
   * is called in this file, with the restores the caller makes (`enableWarnings()` after it):
   * one event per call, without restorers of their own.
   */
  patchesAtHelperCalls(patch: PatchEvent): PatchEvent[] {
    if (patch.owner.type === AST_NODE_TYPES.Program) return [];
    return inFileCallsOf(this.#sourceCode, patch.owner).map((call) => ({
      node: call,
      reportNode: call,
      path: patch.path,
      owner: ownerOf(call),
      replacement: null,
      ownRestores: [],
      selfRegistration: null,
    }));
  }

  /** Calls of same-file helpers that perform `restore` (`reset()`, `done()` calling `reset()`). */
  restoresThroughHelpers(restore: RestoreEvent): RestoreEvent[] {
    const found: RestoreEvent[] = [];
    const seen = new Set<TSESTree.Node>();
    let frontier: CodeOwner[] = [restore.owner];
    for (let depth = 0; depth < MAX_HELPER_DEPTH && frontier.length > 0; depth++) {
      const next: CodeOwner[] = [];
      for (const helper of frontier) {
        if (helper.type === AST_NODE_TYPES.Program || seen.has(helper)) continue;
        seen.add(helper);
        for (const call of inFileCallsOf(this.#sourceCode, helper)) {
          const owner = ownerOf(call);
          found.push({ ...restore, node: call, owner });
          next.push(owner);
        }
        // `afterEach(reset)`, `t.teardown(reset)`: handed to whatever runs it.
        for (const reference of this.#callbackPassesOf(helper)) {
          found.push({ ...restore, node: reference, owner: ownerOf(reference) });
        }
      }
      frontier = next;
    }
    return found;
  }

  /**
   * The arguments of this file's calls that hand a function of the file on by name
   * (`afterEach(reset)`, `t.teardown(this.restore)`), by the function, as the call graph
   * resolves the names; built once per file.
   */
  #callbackPassesOf(fn: FunctionNode): readonly TSESTree.Node[] {
    if (isUnnamedLiteral(fn)) return [];
    const byName = getNamedCallSites(this.#sourceCode).passesOf(fn);
    if (byName !== undefined) return byName;
    if (this.#callbackPasses === undefined) {
      const graph = getCallGraph(this.#sourceCode);
      this.#callbackPasses = new Map();
      for (const call of graph.calls) {
        for (const argument of call.arguments) {
          if (argument.type !== AST_NODE_TYPES.Identifier && argument.type !== AST_NODE_TYPES.MemberExpression) continue;
          const passed = graph.functionAt(argument);
          if (passed === undefined) continue;
          const list = this.#callbackPasses.get(passed);
          if (list === undefined) this.#callbackPasses.set(passed, [argument]);
          else list.push(argument);
        }
      }
    }
    return this.#callbackPasses.get(fn) ?? [];
  }

  #callbackPasses: Map<FunctionNode, TSESTree.Node[]> | undefined;

  /** The patches that the in-file calls of a patch primitive make, each with its own restorer. */
  patchesAtCallsOf(primitive: PatchEvent): PatchEvent[] {
    if (primitive.owner.type === AST_NODE_TYPES.Program) return [];
    return inFileCallsOf(this.#sourceCode, primitive.owner).map((call) => this.#patchAtCall(call, primitive.path));
  }

  #patchAtCall(call: TSESTree.CallExpression, path: GlobalPath): PatchEvent {
    const base = { node: call, reportNode: call, path, owner: ownerOf(call), replacement: null };
    let value: TSESTree.Node = call;
    while (value.parent && (value.parent.type === AST_NODE_TYPES.AwaitExpression || isTypeWrapper(value.parent))) {
      value = value.parent;
    }
    // `return inspect().restore`: the restorer read off the result goes where the read goes.
    if (value.parent?.type === AST_NODE_TYPES.MemberExpression && value.parent.object === value) {
      const read = value.parent;
      if (!(read.parent.type === AST_NODE_TYPES.CallExpression && read.parent.callee === read)) value = read;
    }
    const holder: TSESTree.Node | undefined = value.parent;
    if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === value) {
      const declaration = holder.parent;
      if (declaration.kind === 'using' || declaration.kind === 'await using') {
        return { ...base, ownRestores: [], selfRegistration: { kind: 'scopeExit', block: declaration.parent } };
      }
      const restores = holder.id.type === AST_NODE_TYPES.Identifier ? this.#restorerUses(holder.id, path) : [];
      return { ...base, ownRestores: restores, selfRegistration: null };
    }
    if (holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.right === value) {
      const restores = holder.left.type === AST_NODE_TYPES.Identifier ? this.#restorerUses(holder.left, path) : [];
      return { ...base, ownRestores: restores, selfRegistration: null };
    }
    const registration = this.#registrationOf(value, base.owner);
    return {
      ...base,
      ownRestores: [],
      // Handed on (`return mute()`, an argument to an unknown call): the receiver owns the restore.
      selfRegistration:
        registration === 'returned' || (registration === null && isHandedOn(value))
          ? { kind: 'testEnd', lifecycle: false }
          : registration,
    };
  }

  /** Where the restorer held by `binding` is called (`restore()`, `r.restore()`) or registered. */
  #restorerUses(binding: TSESTree.Identifier, path: GlobalPath): RestoreEvent[] {
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(binding), binding);
    if (variable === null) return [];
    return variable.references.flatMap((reference) => {
      if (!reference.isRead()) return [];
      const identifier = reference.identifier as TSESTree.Node;
      let node: TSESTree.Node = identifier;
      const parent = identifier.parent;
      if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === identifier) node = parent;
      else if (
        parent?.type === AST_NODE_TYPES.MemberExpression &&
        parent.object === identifier &&
        parent.parent.type === AST_NODE_TYPES.CallExpression &&
        parent.parent.callee === parent
      ) {
        node = parent.parent;
      }
      return [{ node, owner: ownerOf(node), path }];
    });
  }

  /**
   * True when `restore` puts back some patch among `patches`, or is the other arm of one
   * (`if (on) patch(); else restore();`): it is then never reported itself.
   */
  restoresSome(restore: RestoreEvent, patches: readonly PatchEvent[]): boolean {
    return patches.some(
      (patch) =>
        patch.node !== restore.node &&
        restoreCovers(restore.path, patch.path, restore.membersToo) &&
        (this.#relation(restore, patch) !== null ||
          // Of two arms that cannot be told apart, the later one is taken for the restore.
          (patch.owner === restore.owner &&
            restore.node.range[0] > patch.node.range[0] &&
            onExclusiveBranches(restore.node, patch.node))),
    );
  }

  verdictOf(patch: PatchEvent, restores: readonly RestoreEvent[]): Verdict {
    const relations: Relation[] = [];
    for (const restore of [...restores, ...patch.ownRestores]) {
      if (restore.node === patch.node || !restoreCovers(restore.path, patch.path, restore.membersToo)) continue;
      const relation = this.#relation(restore, patch);
      if (relation !== null) relations.push(relation);
    }
    if (patch.selfRegistration !== null) relations.push({ kind: 'registered', registration: patch.selfRegistration });
    if (relations.some((relation) => relation.kind === 'returned')) return { kind: 'primitive' };

    const concurrent = isInConcurrentTest(patch.node, this.#assumeConcurrent);
    // In a serial test nothing else runs while it waits: only the missing `finally` matters.
    const waitingMatters = concurrent || !(isInsideTestBody(patch.node) || this.#calledOnlyFromSerialTests(patch.owner));
    const patchEnd = patch.node.range[1];
    const ownerEnd = patch.owner.range[1];

    const guardEnds: number[] = [];
    let lifecycle = false;
    for (const relation of relations) {
      if (relation.kind === 'sync' && relation.guarded) guardEnds.push(relation.at);
      if (relation.kind !== 'registered') continue;
      const { registration } = relation;
      if (registration.kind === 'scopeExit') guardEnds.push(registration.block.range[1] - 1);
      else {
        guardEnds.push(ownerEnd);
        lifecycle ||= registration.lifecycle;
      }
    }
    if (guardEnds.length > 0) {
      if (concurrent && lifecycle) return { kind: 'activeAcrossAsync', across: 'the other tests of a concurrent suite' };
      const waits = this.#yieldBetween(patch.owner, patchEnd, Math.min(...guardEnds));
      return waits !== undefined && waitingMatters ? { kind: 'activeAcrossAsync', across: waits.description } : { kind: 'safe' };
    }
    const syncAt = relations.flatMap((relation) => (relation.kind === 'sync' ? [relation.at] : []));
    if (syncAt.length > 0) {
      const waits = this.#yieldBetween(patch.owner, patchEnd, Math.min(...syncAt));
      return waits !== undefined && waitingMatters
        ? { kind: 'activeAcrossAsync', across: waits.description }
        : { kind: 'restoredOutsideFinally' };
    }
    const later = relations.find((relation) => relation.kind === 'later');
    if (later !== undefined) return { kind: 'activeAcrossAsync', across: `a callback that runs later (\`${later.caller}\`)` };
    if (relations.some((relation) => relation.kind === 'byReplacement')) return { kind: 'restoredByReplacement' };
    return { kind: 'neverRestored' };
  }

  /** A helper of a test file (`captureStdout(fn)`) whose every in-file call runs inside a serial test. */
  #calledOnlyFromSerialTests(owner: CodeOwner): boolean {
    if (owner.type === AST_NODE_TYPES.Program) return false;
    const calls = inFileCallsOf(this.#sourceCode, owner);
    return (
      calls.length > 0 &&
      calls.every((call) => isInsideTestBody(call) && !isInConcurrentTest(call, this.#assumeConcurrent))
    );
  }

  #yieldBetween(owner: CodeOwner, from: number, to: number): YieldPoint | undefined {
    return this.#yieldPoints.firstBetween(owner, from, to);
  }

  #relation(restore: RestoreEvent, patch: PatchEvent): Relation | null {
    const replacement = patch.replacement;
    if (replacement !== null && contains(replacement, restore.node)) return { kind: 'byReplacement' };
    const owner = patch.owner;
    if (restore.owner === owner) {
      // A restorer handed over by name: `afterEach(restore)`, `stack.defer(restore)`, `return restore`.
      const registration = restore.node.type === AST_NODE_TYPES.Identifier ? this.#registrationOf(restore.node, owner) : null;
      if (registration === 'returned') return { kind: 'returned' };
      if (registration !== null) return { kind: 'registered', registration };
      if (restore.node.range[0] < patch.node.range[1] || onExclusiveBranches(restore.node, patch.node)) return null;
      return { kind: 'sync', guarded: isInFinallyGuarding(restore.node, patch.node, owner), at: restore.node.range[0] };
    }
    if (contains(owner, restore.owner)) {
      // The function directly inside the patch's function that holds the restore decides when it runs.
      let outermost: CodeOwner = restore.owner;
      while (ownerOf(outermost) !== owner) outermost = ownerOf(outermost);
      const registration = this.#registrationOf(outermost, owner);
      if (registration === 'returned') return { kind: 'returned' };
      if (registration !== null) return { kind: 'registered', registration };
      const laterCaller = laterCallbackBetween(restore.owner, owner);
      if (laterCaller !== null) return { kind: 'later', caller: laterCaller };
      if (this.#runsOnlyInReplacements(outermost)) return { kind: 'byReplacement' };
    }
    return this.#isLifecyclePair(restore, patch) ? { kind: 'registered', registration: { kind: 'testEnd', lifecycle: true } } : null;
  }

  /**
   * True when `fn` is handed to a function of this file that calls it only from inside
   * replacements (`sink(method, (args) => { …; console[method] = saved; })`, where `sink`
   * installs a stub that calls its callback): `fn` runs only when something writes through
   * that stub.
   */
  #runsOnlyInReplacements(fn: CodeOwner): boolean {
    if (this.#replacements.length === 0 || fn.type === AST_NODE_TYPES.Program) return false;
    const call = fn.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
    // `test('…', () => {…})` with an imported `test`: no function of this file takes the callback.
    if (!mayRunFunctionOfThisFile(call.callee, this.#sourceCode.scopeManager)) return false;
    const index = callArguments(call).indexOf(fn as TSESTree.CallExpressionArgument);
    const byName = index === -1 ? undefined : getNamedCallSites(this.#sourceCode).calleeOf(call);
    const callee = byName === null ? getCallGraph(this.#sourceCode).calleeOf(call) : byName;
    const parameter = callee?.params[index];
    if (parameter?.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(parameter), parameter);
    const reads = (variable?.references ?? []).filter((reference) => reference.isRead());
    return (
      reads.length > 0 &&
      reads.every((reference) => this.#replacements.some((replacement) => contains(replacement, reference.identifier as TSESTree.Node)))
    );
  }

  /**
   * A patch made at set-up (a `beforeEach` / `beforeAll` / `before` / `setup` hook, a test, or
   * the file's top level) and a restore in a teardown hook of the same suite or an enclosing
   * one, which the framework runs after the tests whatever they did.
   */
  #isLifecyclePair(restore: RestoreEvent, patch: PatchEvent): boolean {
    const patchRole = patch.owner.type === AST_NODE_TYPES.Program ? 'file' : testRoleOf(patch.owner);
    if (patchRole !== 'file' && patchRole !== 'setup' && patchRole !== 'test') return false;
    const patchSuite = patchRole === 'file' ? patch.owner : ownerOf(patch.owner);
    // The restore itself (`afterEach(restore)`) or a function around it may be the teardown hook.
    const candidates: TSESTree.Node[] = [restore.node];
    for (let current = restore.node.parent; current; current = current.parent) {
      if (isFunctionNode(current)) candidates.push(current);
    }
    const teardown = candidates.find((candidate) => testRoleOf(candidate) === 'teardown');
    if (teardown === undefined) return false;
    const teardownSuite = ownerOf(teardown);
    return teardownSuite === patchSuite || contains(teardownSuite, patchSuite);
  }

  /**
   * How the function or reference `node` (directly inside `owner`) is run when the work ends:
   * a teardown registered from a test, a `DisposableStack` bound with `using`, the dispose
   * method of an object bound with `using`, the cleanup a set-up hook returns; or `returned`
   * when `owner` hands it to its caller (a patch primitive).
   */
  #registrationOf(node: TSESTree.Node, owner: CodeOwner, followed = new Set<TSESTree.Node>()): Registration | 'returned' | null {
    if (followed.has(node)) return null;
    followed.add(node);
    const call = callReceiving(node);
    if (call !== null) {
      const role = testRoleOf(node);
      if (role === 'inTestTeardown') return { kind: 'testEnd', lifecycle: false };
      const stackBlock = this.#stackRegistrationBlock(call, node);
      if (stackBlock !== null) return { kind: 'scopeExit', block: stackBlock };
      return null;
    }
    let value: TSESTree.Node = node;
    // `{ [Symbol.dispose]() { … } }`, `{ restore: () => … }`
    if (node.parent?.type === AST_NODE_TYPES.Property && node.parent.value === node) value = node.parent.parent;
    const holder = value.parent;
    if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === value) {
      const declaration = holder.parent;
      if (declaration.kind === 'using' || declaration.kind === 'await using') return { kind: 'scopeExit', block: declaration.parent };
      // `const restore = () => …` then `return restore` or `stack.defer(restore)`: follow the name.
      if (value === node && holder.id.type === AST_NODE_TYPES.Identifier) {
        return this.#registrationOfName(holder.id, owner, followed);
      }
      return null;
    }
    if (holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.operator === '=' && holder.right === value) {
      const place = skipTypeWrappers(holder.left);
      // `unhookFunction = unhook`: wherever that variable goes, the restorer goes.
      if (place.type === AST_NODE_TYPES.Identifier) return this.#registrationOfName(place, owner, followed);
      // `handle.restore = () => …; return handle`: it reaches the caller on the returned object.
      const object = place.type === AST_NODE_TYPES.MemberExpression ? skipTypeWrappers(place.object) : null;
      return object?.type === AST_NODE_TYPES.Identifier && this.#isReturnedName(object, owner) ? 'returned' : null;
    }
    if (node.type === AST_NODE_TYPES.FunctionDeclaration && node.id !== null) {
      return this.#registrationOfName(node.id, owner, followed);
    }
    if (isReturnedFrom(value, owner)) {
      return owner.type !== AST_NODE_TYPES.Program && testRoleOf(owner) === 'setup'
        ? { kind: 'testEnd', lifecycle: true }
        : 'returned';
    }
    return null;
  }

  #registrationOfName(
    name: TSESTree.Identifier,
    owner: CodeOwner,
    followed: Set<TSESTree.Node>,
  ): Registration | 'returned' | null {
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(name), name);
    for (const reference of variable?.references ?? []) {
      const identifier = reference.identifier as TSESTree.Node;
      if (!reference.isRead() || ownerOf(identifier) !== owner) continue;
      const registration = this.#registrationOf(identifier, owner, followed);
      if (registration !== null) return registration;
    }
    return null;
  }

  /** True when `owner` returns the value of the variable `name` refers to (`return handle`). */
  #isReturnedName(name: TSESTree.Identifier, owner: CodeOwner): boolean {
    const variable = ASTUtils.findVariable(this.#sourceCode.getScope(name), name);
    return (variable?.references ?? []).some(
      (reference) => reference.isRead() && isReturnedFrom(reference.identifier as TSESTree.Node, owner),
    );
  }

  /** `stack.defer(fn)`, `stack.adopt(value, fn)`, `stack.use(disposable)` on a `using`-bound stack: its block. */
  #stackRegistrationBlock(call: TSESTree.CallExpression, argument: TSESTree.Node): TSESTree.Node | null {
    const callee = skipTypeWrappers(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return null;
    const method = staticPropertyName(callee.property, callee.computed);
    const position = call.arguments.indexOf(argument as TSESTree.CallExpressionArgument);
    const expected = method === 'adopt' ? 1 : method === 'defer' || method === 'use' ? 0 : -1;
    if (position !== expected) return null;
    const stack = skipTypeWrappers(callee.object);
    if (stack.type !== AST_NODE_TYPES.Identifier) return null;
    const definition = ASTUtils.findVariable(this.#sourceCode.getScope(stack), stack)?.defs[0];
    if (definition?.type !== 'Variable') return null;
    const declaration = definition.parent;
    return declaration.kind === 'using' || declaration.kind === 'await using' ? declaration.parent : null;
  }
}

function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer !== inner && outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

function isTypeWrapper(node: TSESTree.Node | undefined): boolean {
  return (
    node !== undefined &&
    (node.type === AST_NODE_TYPES.TSAsExpression ||
      node.type === AST_NODE_TYPES.TSNonNullExpression ||
      node.type === AST_NODE_TYPES.TSSatisfiesExpression)
  );
}

/** `return value` in `owner`, or `owner` an arrow whose body is `value`. */
function isReturnedFrom(value: TSESTree.Node, owner: CodeOwner): boolean {
  const parent = value.parent;
  if (parent?.type === AST_NODE_TYPES.ReturnStatement) return ownerOf(parent) === owner;
  return owner.type === AST_NODE_TYPES.ArrowFunctionExpression && owner.body === value;
}

/** A value returned, passed to a call, or stored in an object or array: someone else holds the restorer. */
function isHandedOn(value: TSESTree.Node): boolean {
  const parent = value.parent;
  if (parent === undefined) return false;
  if (parent.type === AST_NODE_TYPES.ReturnStatement) return true;
  if (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === value) return true;
  if (parent.type === AST_NODE_TYPES.CallExpression && parent.callee !== value) return true;
  return (
    parent.type === AST_NODE_TYPES.Property ||
    parent.type === AST_NODE_TYPES.ArrayExpression ||
    (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === value)
  );
}

/**
 * True when the two nodes sit on different arms of one `if` / `?:` / `switch`: one run takes
 * only one of them, so the one is no restore of the other (`if (on) patch(); else restore();`).
 */
function onExclusiveBranches(first: TSESTree.Node, second: TSESTree.Node): boolean {
  const ancestorsOfFirst = new Map<TSESTree.Node, TSESTree.Node>();
  for (let child = first, current = first.parent; current; child = current, current = current.parent) {
    ancestorsOfFirst.set(current, child);
  }
  for (let child = second, current = second.parent; current; child = current, current = current.parent) {
    const firstChild = ancestorsOfFirst.get(current);
    if (firstChild === undefined) continue;
    if (current.type === AST_NODE_TYPES.IfStatement || current.type === AST_NODE_TYPES.ConditionalExpression) {
      const arms = [current.consequent, current.alternate];
      return firstChild !== child && arms.includes(firstChild as never) && arms.includes(child as never);
    }
    if (current.type === AST_NODE_TYPES.SwitchStatement) {
      return firstChild !== child && firstChild.type === AST_NODE_TYPES.SwitchCase && child.type === AST_NODE_TYPES.SwitchCase;
    }
    return false;
  }
  return false;
}

/**
 * True when `restore` sits in the `finally` of a `try` (in the same function) that contains
 * the patch or starts after it, so every exit path after the patch runs the restore.
 */
function isInFinallyGuarding(restore: TSESTree.Node, patch: TSESTree.Node, owner: CodeOwner): boolean {
  let current: TSESTree.Node = restore;
  while (current !== owner && current.parent) {
    const parent: TSESTree.Node = current.parent;
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.finalizer === current) {
      const patchStart = patch.range[0];
      const tryContainsPatch = parent.block.range[0] <= patchStart && patchStart < parent.block.range[1];
      if (tryContainsPatch || parent.range[0] >= patch.range[1]) return true;
    }
    current = parent;
  }
  return false;
}
