import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { FileAnalysis } from '../analysis/held-sections.js';
import { mayCallMethodNamed } from '../analysis/held-prefilter.js';
import { getFileAnalysis, isPathExpression, unwrapExpression } from '../analysis/held-sections.js';
import { isFunctionNode, memberName } from '../analysis/instance-identity.js';
import { kindRegistryFor, STACK_DISPOSE_METHODS, STACK_USE_METHODS } from '../analysis/resource-kinds.js';
import { typeServicesOf } from '../analysis/type-services.js';
import { createRule, withPrecheck } from '../lib/create-rule.js';

/** The first option as a user writes it; `defaultOptions` fills what is left out. */
export interface NoUseAfterDisposeOptions {
  reportOnSomePaths?: boolean;
}

export type NoUseAfterDisposeMessageId = 'useAfterDispose' | 'useAfterDisposeInLoop' | 'useAfterDisposeOnSomePath';

/**
 * What happens to one stack at one point of a code path. `of` is the stack's expression, resolved
 * only when the code path is replayed (most files have no path with both a use and a disposal,
 * and resolving a stack builds the file analysis), or its key when known already.
 */
type StackEvent =
  | { kind: 'use'; of: TSESTree.Node; node: TSESTree.CallExpression; method: string }
  | { kind: 'dispose'; of: TSESTree.Node | string; node: TSESTree.Node; how: string }
  /** A stack created again, or known live on this branch (`if (!stack.disposed)`). */
  | { kind: 'reset'; of: TSESTree.Node | string };

/**
 * Per stack: disposed on every path so far; disposed on every path that comes back round a loop
 * (so on every pass after the first); on some path; or (absent) on none.
 */
type DisposalState = { state: 'disposed' | 'loop' | 'maybe'; by: Extract<StackEvent, { kind: 'dispose' }> };
type StackStates = ReadonlyMap<string, DisposalState>;

interface CodePathRecord {
  readonly codePath: TSESLint.CodePath;
  readonly events: Map<TSESLint.CodePathSegment, StackEvent[]>;
  readonly current: Set<TSESLint.CodePathSegment>;
  /** Loop back edges: segment → the segments that jump back to it. */
  readonly loopsInto: Map<TSESLint.CodePathSegment, Set<TSESLint.CodePathSegment>>;
  /** Whether some event may use a stack, and some may dispose one: only then can a use follow a disposal. */
  uses: boolean;
  disposals: boolean;
}

/**
 * Without types a stack is only recognised from `new DisposableStack()` / `new
 * AsyncDisposableStack()` or an annotation, so its name must be in the text. With types a stack
 * may come from elsewhere, so any disposal-looking text makes the file a candidate.
 */
const UNTYPED_CANDIDATE_TEXT = /DisposableStack/u;
const TYPED_CANDIDATE_TEXT = /dispose|\bmove\s*\(|\busing\b/u;

const rule = createRule<[NoUseAfterDisposeOptions], NoUseAfterDisposeMessageId>({
  name: 'no-use-after-dispose',
  meta: {
    type: 'problem',
    docs: {
      description:
        'disallow `use`, `adopt`, `defer` or `move` on a DisposableStack after it was disposed, moved, or left its `using` scope',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          reportOnSomePaths: {
            type: 'boolean',
            description:
              'Also report a use when the stack is disposed on some, not all, of the paths that reach it.',
          },
        },
      },
    ],
    defaultOptions: [{ reportOnSomePaths: false }],
    messages: {
      useAfterDispose:
        '`{{instance}}.{{method}}()` runs after `{{instance}}` was disposed by {{how}} (line {{line}}) on every path here: a disposed stack throws ReferenceError. Create a new stack, or use the one `move()` returned.',
      useAfterDisposeInLoop:
        '`{{instance}}.{{method}}()` runs in the next pass of the loop after {{how}} (line {{line}}) disposed `{{instance}}` in the previous one: every pass after the first throws ReferenceError. Create the stack inside the loop, or dispose it after the loop.',
      useAfterDisposeOnSomePath:
        '`{{instance}}.{{method}}()` may run after `{{instance}}` was disposed by {{how}} (line {{line}}) on some path here: a disposed stack throws ReferenceError.',
    },
  },
  defaultOptions: [{ reportOnSomePaths: false }],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    // The built-in kinds are all this rule needs: user kinds are locks, not stacks.
    const registry = kindRegistryFor([]);
    let analysis: FileAnalysis | undefined;
    const analysisOf = (): FileAnalysis => (analysis ??= getFileAnalysis(sourceCode, registry, typeServicesOf(context)));

    const records: CodePathRecord[] = [];
    /** `using` blocks that dispose existing stacks (or aliases stored outside) at their end. */
    const disposedAtBlockEnd = new Map<TSESTree.Node, Array<{ key: string }>>();
    /** Variables bound by `using` to a fresh stack, by key → the block that disposes them. */
    const usingBindings = new Map<string, TSESTree.Node>();

    const record = (event: StackEvent): void => {
      const top = records.at(-1);
      if (!top) return;
      if (event.kind === 'use') top.uses = true;
      else if (event.kind === 'dispose') top.disposals = true;
      for (const segment of top.current) {
        const list = top.events.get(segment) ?? [];
        list.push(event);
        top.events.set(segment, list);
      }
    };

    /** The expression a stack may be named by (a path), before anything is resolved. */
    const stackPath = (expression: TSESTree.Node): TSESTree.Node | undefined => {
      const unwrapped = unwrapExpression(expression);
      return isPathExpression(unwrapped) ? unwrapped : undefined;
    };
    const resolved = new Map<TSESTree.Node, { key: string; label: string } | undefined>();
    const stackKey = (expression: TSESTree.Node): { key: string; label: string } | undefined => {
      const path = stackPath(expression);
      if (path === undefined) return undefined;
      if (resolved.has(path)) return resolved.get(path);
      const instance = analysisOf().isStack(path) ? analysisOf().resolver.resolve(path) : undefined;
      const stack = instance && { key: instance.key, label: instance.label };
      resolved.set(path, stack);
      return stack;
    };
    const keyOf = (of: TSESTree.Node | string): string | undefined => (typeof of === 'string' ? of : stackKey(of)?.key);

    /** `stack.disposed` (true when disposed) or `!stack.disposed`, on a known stack. */
    const disposedCheck = (test: TSESTree.Node): { stack: TSESTree.Node; disposedWhenTrue: boolean } | undefined => {
      let node = test;
      let disposedWhenTrue = true;
      while (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '!') {
        node = node.argument;
        disposedWhenTrue = !disposedWhenTrue;
      }
      node = unwrapExpression(node);
      if (node.type !== AST_NODE_TYPES.MemberExpression || memberName(node) !== 'disposed') return undefined;
      return { stack: node.object, disposedWhenTrue };
    };
    const markLive = (expression: TSESTree.Node): void => {
      const path = stackPath(expression);
      if (path) record({ kind: 'reset', of: path });
    };

    const reported = new Set<TSESTree.Node>();
    const replay = (entry: CodePathRecord): void => {
      const outStates = new Map<TSESLint.CodePathSegment, StackStates>();
      const transfer = (segment: TSESLint.CodePathSegment, inState: StackStates, report: boolean): StackStates => {
        const states = new Map(inState);
        for (const event of entry.events.get(segment) ?? []) {
          const key = keyOf(event.of);
          if (key === undefined) continue;
          if (event.kind === 'use') {
            const known = states.get(key);
            const state = known?.state === 'loop' && !inOneLoop(event.node, known.by.node) ? 'maybe' : known?.state;
            if (report && known && !reported.has(event.node) && (state !== 'maybe' || options.reportOnSomePaths === true)) {
              reported.add(event.node);
              context.report({
                node: event.node,
                messageId: state === 'disposed' ? 'useAfterDispose' : state === 'loop' ? 'useAfterDisposeInLoop' : 'useAfterDisposeOnSomePath',
                data: { instance: stackKey(event.of)?.label ?? key, method: event.method, how: known.by.how, line: known.by.node.loc.end.line },
              });
            }
          } else if (event.kind === 'dispose') {
            states.set(key, { state: 'disposed', by: event });
          } else {
            states.delete(key);
          }
        }
        return states;
      };
      const segments = reachableSegments(entry.codePath.initialSegment);
      // ESLint also reports the first jump into a for-of / for-in head as a loop edge: a back
      // edge proper starts from a segment the loop head itself leads to.
      for (const [head, sources] of entry.loopsInto) {
        const fromHead = new Set(reachableSegments(head));
        for (const source of sources) if (!fromHead.has(source)) sources.delete(source);
      }
      // Forward dataflow to a fixpoint: the lattice (absent < disposed, maybe) is finite, and
      // loop back edges are why one pass is not enough.
      for (let round = 0, changed = true; changed && round < segments.length * 3 + 3; round++) {
        changed = false;
        for (const segment of segments) {
          const out = transfer(segment, mergeStates(segment, entry.loopsInto, outStates), false);
          if (!sameStates(out, outStates.get(segment))) {
            outStates.set(segment, out);
            changed = true;
          }
        }
      }
      for (const segment of segments) transfer(segment, mergeStates(segment, entry.loopsInto, outStates), true);
    };

    return {
      onCodePathStart(codePath) {
        records.push({ codePath, events: new Map(), current: new Set(), loopsInto: new Map(), uses: false, disposals: false });
      },
      onCodePathEnd() {
        const entry = records.pop();
        if (entry?.uses && entry.disposals) replay(entry);
      },
      onCodePathSegmentStart(segment) {
        records.at(-1)?.current.add(segment);
      },
      // ESLint passes (fromSegment, toSegment, node); typescript-eslint's listener type knows one argument.
      onCodePathSegmentLoop: ((fromSegment: TSESLint.CodePathSegment, toSegment: TSESLint.CodePathSegment): void => {
        const loopsInto = records.at(-1)?.loopsInto;
        if (!loopsInto) return;
        const from = loopsInto.get(toSegment) ?? new Set();
        from.add(fromSegment);
        loopsInto.set(toSegment, from);
      }) as unknown as (node: never) => void,
      onCodePathSegmentEnd(segment) {
        records.at(-1)?.current.delete(segment);
      },
      onUnreachableCodePathSegmentStart(segment) {
        records.at(-1)?.current.add(segment);
      },
      onUnreachableCodePathSegmentEnd(segment) {
        records.at(-1)?.current.delete(segment);
      },
      'CallExpression:exit'(call: TSESTree.CallExpression) {
        const callee = unwrapExpression(call.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const method = memberName(callee);
        if (method === undefined || !(STACK_USE_METHODS.has(method) || STACK_DISPOSE_METHODS.has(method))) return;
        const stack = stackPath(callee.object);
        if (!stack) return;
        // `move()` both needs a live stack and disposes it.
        if (STACK_USE_METHODS.has(method)) record({ kind: 'use', of: stack, node: call, method });
        if (STACK_DISPOSE_METHODS.has(method)) record({ kind: 'dispose', of: stack, node: call, how: `\`${method}()\`` });
      },
      // A `disposed` check guards its branch: `if (!stack.disposed) stack.defer(…)`,
      // `if (stack.disposed) return;`, `stack.disposed || stack.use(r)`.
      ':matches(IfStatement, ConditionalExpression) > .consequent'(branch: TSESTree.Node) {
        const test = (branch.parent as TSESTree.IfStatement | TSESTree.ConditionalExpression).test;
        const guarded = disposedCheck(test);
        if (guarded && !guarded.disposedWhenTrue) markLive(guarded.stack);
      },
      ':matches(IfStatement, ConditionalExpression) > .alternate'(branch: TSESTree.Node) {
        const test = (branch.parent as TSESTree.IfStatement | TSESTree.ConditionalExpression).test;
        const guarded = disposedCheck(test);
        if (guarded?.disposedWhenTrue) markLive(guarded.stack);
      },
      'LogicalExpression > .right'(right: TSESTree.Node) {
        const logical = right.parent as TSESTree.LogicalExpression;
        const guarded = disposedCheck(logical.left);
        // `a || b` runs b when a is false; `a && b` when a is true.
        if (guarded && (logical.operator === '||') === guarded.disposedWhenTrue) markLive(guarded.stack);
      },
      'IfStatement:exit'(statement: TSESTree.IfStatement) {
        // After `if (stack.disposed) return;` only the branch where it is live goes on.
        const guarded = disposedCheck(statement.test);
        if (!guarded) return;
        const exitingBranch = guarded.disposedWhenTrue ? statement.consequent : statement.alternate;
        if (exitingBranch && alwaysLeaves(exitingBranch)) markLive(guarded.stack);
      },
      'VariableDeclarator:exit'(declarator: TSESTree.VariableDeclarator) {
        const declaration = declarator.parent;
        const path = stackPath(declarator.id);
        if (path) record({ kind: 'reset', of: path }); // a stack created again
        if (declaration.kind !== 'using' && declaration.kind !== 'await using') return;
        const bound = stackKey(declarator.id);
        const block = declaration.parent;
        const init = declarator.init && unwrapExpression(declarator.init);
        const existing = init && stackKey(init);
        const list = disposedAtBlockEnd.get(block) ?? [];
        if (existing) list.push({ key: existing.key });
        else if (bound) usingBindings.set(bound.key, block);
        disposedAtBlockEnd.set(block, list);
      },
      'AssignmentExpression:exit'(assignment: TSESTree.AssignmentExpression) {
        if (assignment.operator !== '=') return;
        const path = stackPath(assignment.left);
        if (!path) return;
        // `kept = s` inside the `using s` block: `kept` is disposed when the block ends.
        const source = usingBindings.size > 0 ? stackKey(assignment.right) : undefined;
        const block = source && usingBindings.get(source.key);
        const target = block && stackKey(path);
        if (block && target) {
          const list = disposedAtBlockEnd.get(block) ?? [];
          list.push({ key: target.key });
          disposedAtBlockEnd.set(block, list);
        }
        record({ kind: 'reset', of: path });
      },
      ':matches(BlockStatement, StaticBlock, Program):exit'(block: TSESTree.Node) {
        for (const { key } of disposedAtBlockEnd.get(block) ?? []) {
          record({ kind: 'dispose', of: key, node: block, how: 'the end of its `using` scope' });
        }
        // A disposal recorded by `kept = s` refers to the block; entries are per block, so a
        // block entered again (a loop) starts from its own declarations.
        disposedAtBlockEnd.delete(block);
      },
    };
  },
});

/** The rule without its text pre-check: tests prove the pre-check never drops one of its reports. */
export const ruleWithoutPrecheck = rule;

/**
 * Cheap bail-out: only a call of `use`, `adopt`, `defer` or `move` is ever reported, so a file
 * without one (or without any stack in its text) costs a text scan and a few token lookups,
 * never the file analysis nor the code path bookkeeping.
 */
export default withPrecheck(rule, (context) => {
  const sourceCode = context.sourceCode;
  const typed = sourceCode.parserServices?.program != null;
  return (typed ? TYPED_CANDIDATE_TEXT : UNTYPED_CANDIDATE_TEXT).test(sourceCode.text) && mayCallMethodNamed(sourceCode.text, sourceCode.ast.tokens, STACK_USE_METHODS);
});

function reachableSegments(initial: TSESLint.CodePathSegment): TSESLint.CodePathSegment[] {
  const seen = new Set<TSESLint.CodePathSegment>([initial]);
  const order = [initial];
  for (let index = 0; index < order.length; index++) {
    for (const next of order[index]?.nextSegments ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        order.push(next);
      }
    }
  }
  return order;
}

/**
 * Merge the states at the end of the predecessors computed so far: disposed on every one of
 * them → disposed; on every edge that comes back round a loop (and on no path that enters it
 * disposed-free only through an exit) → loop; on some → maybe.
 */
function mergeStates(
  segment: TSESLint.CodePathSegment,
  loopsInto: ReadonlyMap<TSESLint.CodePathSegment, ReadonlySet<TSESLint.CodePathSegment>>,
  outStates: ReadonlyMap<TSESLint.CodePathSegment, StackStates>,
): StackStates {
  const backEdges = loopsInto.get(segment);
  const computed = segment.prevSegments
    .map((previous) => ({ states: outStates.get(previous), back: backEdges?.has(previous) === true }))
    .filter((entry): entry is { states: StackStates; back: boolean } => entry.states !== undefined);
  const merged = new Map<string, DisposalState>();
  if (computed.length === 0) return merged;
  const keys = new Set(computed.flatMap((entry) => [...entry.states.keys()]));
  for (const key of keys) {
    const all = computed.map((entry) => ({ state: entry.states.get(key), back: entry.back }));
    const first = all.find((entry) => entry.state !== undefined)?.state;
    if (!first) continue;
    const isDisposed = (state: DisposalState | undefined): boolean => state?.state === 'disposed' || state?.state === 'loop';
    const back = all.filter((entry) => entry.back);
    let state: DisposalState['state'];
    if (all.every((entry) => entry.state?.state === 'disposed')) state = 'disposed';
    else if (all.every((entry) => isDisposed(entry.state)) || (back.length > 0 && back.every((entry) => isDisposed(entry.state)))) state = 'loop';
    else state = 'maybe';
    merged.set(key, { state, by: first.by });
  }
  return merged;
}

/** True when one loop of the same function encloses both nodes (the use and the disposal). */
function inOneLoop(use: TSESTree.Node, disposal: TSESTree.Node): boolean {
  for (let current = use.parent; current; current = current.parent) {
    if (isFunctionNode(current)) return false;
    if (isLoop(current)) return disposal.range[0] >= current.range[0] && disposal.range[1] <= current.range[1];
  }
  return false;
}

function isLoop(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.ForStatement ||
    node.type === AST_NODE_TYPES.ForInStatement ||
    node.type === AST_NODE_TYPES.ForOfStatement ||
    node.type === AST_NODE_TYPES.WhileStatement ||
    node.type === AST_NODE_TYPES.DoWhileStatement
  );
}

/** A branch that never falls through: it ends in `return`, `throw`, `break` or `continue`. */
function alwaysLeaves(statement: TSESTree.Statement): boolean {
  switch (statement.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.ThrowStatement:
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.ContinueStatement:
      return true;
    case AST_NODE_TYPES.BlockStatement: {
      const last = statement.body.at(-1);
      return last !== undefined && alwaysLeaves(last);
    }
    case AST_NODE_TYPES.IfStatement:
      return statement.alternate !== null && alwaysLeaves(statement.consequent) && alwaysLeaves(statement.alternate);
    default:
      return false;
  }
}

function sameStates(a: StackStates, b: StackStates | undefined): boolean {
  if (!b || a.size !== b.size) return false;
  for (const [key, value] of a) {
    const other = b.get(key);
    if (!other || other.state !== value.state || other.by !== value.by) return false;
  }
  return true;
}
