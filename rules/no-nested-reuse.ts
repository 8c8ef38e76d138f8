import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { Acquisition, Bindings, FileAnalysis } from '../analysis/held-sections.js';
import { EMPTY_BINDINGS, getFileAnalysis, isPathExpression, mayContainAcquisition, unwrapExpression } from '../analysis/held-sections.js';
import type { FunctionNode } from '../analysis/instance-identity.js';
import { substituteRoot } from '../analysis/instance-identity.js';
import type { UserKindOption } from '../analysis/resource-kinds.js';
import { KindRegistry, kindsOptionSchema } from '../analysis/resource-kinds.js';
import { typeServicesOf } from '../analysis/type-services.js';
import { createRule } from '../lib/create-rule.js';

/** The first option as a user writes it; `defaultOptions` fills what is left out. */
export interface NoNestedReuseOptions {
  kinds?: UserKindOption[];
  maxCallDepth?: number;
}

export type NoNestedReuseMessageId =
  | 'nestedLock'
  | 'nestedUsing'
  | 'nestedLockViaCall'
  | 'nestedUsingViaCall'
  | 'usingInLoop'
  | 'calleeDisposesArgument';

export const DEFAULT_MAX_CALL_DEPTH = 8;

/** A path from a call in a held section to an acquisition of the held instance. */
interface ReachedAcquisition {
  readonly acquisition: Acquisition;
  /** Function names from the callee of the reported call to the acquiring function. */
  readonly chain: readonly string[];
  readonly instanceKey: string;
}

export default createRule<[NoNestedReuseOptions], NoNestedReuseMessageId>({
  name: 'no-nested-reuse',
  meta: {
    type: 'problem',
    docs: {
      description:
        'disallow acquiring a non-reentrant lock or binding a disposable stack while the same instance is already held, directly or through calls',
      recommended: true,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          kinds: kindsOptionSchema,
          maxCallDepth: {
            type: 'integer',
            minimum: 1,
            maximum: 64,
            description:
              'How many calls deep to follow in-file functions from a held section before giving up (call cycles always stop).',
          },
        },
      },
    ],
    defaultOptions: [{ kinds: [], maxCallDepth: DEFAULT_MAX_CALL_DEPTH }],
    messages: {
      nestedLock:
        '`{{instance}}` is acquired again here while {{holder}} (line {{line}}) already holds it: a non-reentrant lock waits for itself and never resolves (deadlock).',
      nestedUsing:
        '`{{instance}}` is bound with `using` again while {{holder}} (line {{line}}) still holds it: leaving this inner scope disposes it, outer registrations included, while the outer scope goes on using it. Give each scope its own stack.',
      nestedLockViaCall:
        '{{chain}} acquires `{{instance}}` while `{{holder}}` holds it (line {{line}}): a non-reentrant lock waits for itself and never resolves (deadlock).',
      nestedUsingViaCall:
        '{{chain}} binds `{{instance}}` with `using` while `{{holder}}` still holds it (line {{line}}): the callee disposes it under the caller. Give each scope its own stack.',
      usingInLoop:
        '`{{instance}}` is bound with `using` in a loop body but created outside the loop: the first pass disposes it and every later pass binds an already disposed instance. Create one per pass.',
      calleeDisposesArgument:
        '{{chain}} binds the caller\'s `{{instance}}` with `using`, which disposes it, but the caller uses `{{instance}}` afterwards (line {{line}}).',
    },
  },
  defaultOptions: [{ kinds: [], maxCallDepth: DEFAULT_MAX_CALL_DEPTH }],
  create(context, [options]) {
    const registry = new KindRegistry(options.kinds ?? []);
    const maxCallDepth = options.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH;
    // Cheap bail-out: a file that mentions no stack, lock or lock request costs a few regexp
    // tests (and a token scan when it says "using"), never a traversal.
    const types = typeServicesOf(context);
    if (!mayContainAcquisition(context.sourceCode, registry, types !== undefined)) return {};
    return {
      'Program:exit'() {
        const analysis = getFileAnalysis(context.sourceCode, registry, types);
        for (const finding of findNestedReuse(analysis, maxCallDepth)) {
          context.report(finding);
        }
      },
    };
  },
});

interface Finding {
  node: TSESTree.Node;
  messageId: NoNestedReuseMessageId;
  data: Record<string, string | number>;
}

/** Every problem of the file, at most one per reported node. */
function findNestedReuse(analysis: FileAnalysis, maxCallDepth: number): Finding[] {
  const findings = new Map<TSESTree.Node, Finding>();
  const report = (finding: Finding): void => {
    if (!findings.has(finding.node)) findings.set(finding.node, finding);
  };
  const line = (node: TSESTree.Node): number => node.loc.start.line;
  const holderName = (holder: Acquisition): string => analysis.functionName(analysis.ownerOf(holder.node));
  const describeHolder = (holder: Acquisition): string =>
    holder.form === 'using'
      ? `the enclosing \`using\` in \`${holderName(holder)}\``
      : `the enclosing ${holder.form === 'wrapper' ? `\`${holder.via?.[0] ?? 'wrapper'}\` call` : 'acquisition'} in \`${holderName(holder)}\``;

  // 1 & 2: direct nesting, reported at the inner acquisition. An acquisition already reported
  // as nested never counts as a holder: the first deadlock is the one to fix.
  const inSourceOrder = [...analysis.acquisitions()].sort((a, b) => a.node.range[0] - b.node.range[0]);
  for (const acquisition of inSourceOrder) {
    const holder = analysis
      .heldAt(acquisition.node)
      .find((held) => held !== acquisition && held.instance.key === acquisition.instance.key && !findings.has(held.node));
    if (!holder) continue;
    report({
      node: acquisition.node,
      messageId: acquisition.effect === 'lock' ? 'nestedLock' : 'nestedUsing',
      data: { instance: holder.instance.label, holder: describeHolder(holder), line: line(holder.node) },
    });
  }

  // 1 (loop form): `using s = stack` in a loop body, `stack` created outside the loop.
  for (const acquisition of analysis.acquisitions()) {
    if (acquisition.form !== 'using' || findings.has(acquisition.node)) continue;
    const declarator = acquisition.node as TSESTree.VariableDeclarator;
    const init = declarator.init && unwrapExpression(declarator.init);
    if (!init || !isPathExpression(init)) continue;
    const loop = enclosingLoopWithin(declarator, analysis.ownerOf(declarator));
    if (!loop) continue;
    const declaration = analysis.resolver.rootDeclaration(acquisition.instance.root);
    if (declaration && declaration.range[0] >= loop.range[0] && declaration.range[1] <= loop.range[1]) continue;
    report({ node: declarator, messageId: 'usingInLoop', data: { instance: acquisition.instance.label } });
  }

  // 3: calls in a held section that reach an acquisition of the held instance.
  const explore = (
    fn: FunctionNode,
    bindings: Bindings,
    heldKeys: ReadonlySet<string>,
    chain: readonly string[],
    depth: number,
    visited: Set<FunctionNode>,
  ): ReachedAcquisition | undefined => {
    const { calls, acquisitions } = analysis.runBy(fn);
    for (const acquisition of acquisitions) {
      const instanceKey = substituteRoot(acquisition.instance, bindings.instances).key;
      if (heldKeys.has(instanceKey)) return { acquisition, chain: [...chain, ...(acquisition.via ?? [])], instanceKey };
    }
    if (depth >= maxCallDepth) return undefined;
    const next: Array<{ target: FunctionNode; call?: TSESTree.CallExpression }> = [];
    for (const call of calls) {
      const target = analysis.resolveCallee(call, bindings);
      if (target) next.push({ target, call });
    }
    // A named function passed as a held callback is called by the lock while it is held.
    for (const acquisition of acquisitions) {
      if (acquisition.heldCallback && analysis.hasNamedCallback(acquisition)) next.push({ target: acquisition.heldCallback });
    }
    for (const { target, call } of next) {
      if (visited.has(target)) continue; // call cycles stop here
      visited.add(target);
      const innerBindings = call ? analysis.bindingsFor(target, call, bindings) : EMPTY_BINDINGS;
      const reached = explore(target, innerBindings, heldKeys, extendChain(chain, target), depth + 1, visited);
      if (reached) return reached;
    }
    return undefined;
  };

  // Inline callbacks have no name worth showing: the chain names the functions a reader can find.
  const extendChain = (chain: readonly string[], fn: FunctionNode): readonly string[] =>
    analysis.hasName(fn) ? [...chain, analysis.functionName(fn)] : chain;

  const reportReached = (node: TSESTree.Node, held: readonly Acquisition[], reached: ReachedAcquisition): void => {
    const holder = held.find((acquisition) => acquisition.instance.key === reached.instanceKey);
    if (!holder) return;
    const chain = [holderName(holder), ...reached.chain].map((name) => `\`${name}\``).join(' → ');
    report({
      node,
      messageId: reached.acquisition.effect === 'lock' ? 'nestedLockViaCall' : 'nestedUsingViaCall',
      data: { chain, instance: holder.instance.label, holder: holderName(holder), line: line(holder.node) },
    });
  };

  const acquisitionNodes = new Set(analysis.acquisitions().map((acquisition) => acquisition.node));
  for (const acquisition of analysis.acquisitions()) {
    // `lock.runExclusive(namedFunction)`: the named function runs inside the section.
    if (!acquisition.heldCallback || !analysis.hasNamedCallback(acquisition) || findings.has(acquisition.node)) continue;
    const held = [acquisition, ...analysis.heldAt(acquisition.node)];
    const target = acquisition.heldCallback;
    const reached = explore(target, EMPTY_BINDINGS, keysOf(held), extendChain([], target), 1, new Set([target]));
    if (reached) reportReached(acquisition.node, held, reached);
  }
  for (const call of analysis.calls()) {
    if (findings.has(call)) continue;
    const held = analysis.heldAt(call);
    if (held.length === 0) continue;
    const target = analysis.resolveCallee(call);
    if (!target) continue;
    // A wrapper call already counts as an acquisition of what it wraps (checked above); its
    // callee may still acquire other held instances, so explore it like any call.
    const bindings = analysis.bindingsFor(target, call, EMPTY_BINDINGS);
    const reached = explore(target, bindings, keysOf(held), extendChain([], target), 1, new Set([target]));
    if (reached && !(acquisitionNodes.has(call) && reached.chain.length === 0)) reportReached(call, held, reached);
  }

  // 4: a callee binds the caller's instance with `using` and the caller uses it afterwards.
  if (analysis.acquisitions().some((acquisition) => acquisition.form === 'using')) {
    for (const call of analysis.calls()) {
      if (findings.has(call)) continue;
      const target = analysis.resolveCallee(call);
      if (!target) continue;
      const bindings = analysis.bindingsFor(target, call, EMPTY_BINDINGS);
      const disposed = disposedArguments(analysis, target, bindings, [analysis.functionName(target)], 1, new Set([target]), maxCallDepth);
      for (const { instanceKey, label, chain } of disposed) {
        const root = instanceKey.split('.')[0] ?? '';
        const variable = analysis.resolver.variableOfRoot(root);
        const owner = analysis.ownerOf(call);
        const laterUse = variable?.references.find(
          (reference) =>
            reference.identifier.range[0] > call.range[1] &&
            reference.identifier.range[1] <= owner.range[1] &&
            reference.identifier.range[0] >= owner.range[0],
        );
        if (!laterUse) continue;
        report({
          node: call,
          messageId: 'calleeDisposesArgument',
          data: { chain: chain.map((name) => `\`${name}\``).join(' → '), instance: label, line: line(laterUse.identifier) },
        });
        break;
      }
    }
  }

  return [...findings.values()].sort((a, b) => a.node.range[0] - b.node.range[0]);
}

/** `using` bindings reachable from a call whose instance is one of the caller's (through parameters). */
function disposedArguments(
  analysis: FileAnalysis,
  fn: FunctionNode,
  bindings: Bindings,
  chain: readonly string[],
  depth: number,
  visited: Set<FunctionNode>,
  maxCallDepth: number,
): Array<{ instanceKey: string; label: string; chain: readonly string[] }> {
  const found: Array<{ instanceKey: string; label: string; chain: readonly string[] }> = [];
  const { calls, acquisitions } = analysis.runBy(fn);
  for (const acquisition of acquisitions) {
    if (acquisition.form !== 'using' || !bindings.instances.has(acquisition.instance.root)) continue;
    const instance = substituteRoot(acquisition.instance, bindings.instances);
    found.push({ instanceKey: instance.key, label: instance.label, chain });
  }
  if (depth >= maxCallDepth) return found;
  for (const call of calls) {
    const target = analysis.resolveCallee(call, bindings);
    if (!target || visited.has(target)) continue;
    visited.add(target);
    const innerBindings = analysis.bindingsFor(target, call, bindings);
    if (innerBindings.instances.size === 0) continue;
    const innerChain = analysis.hasName(target) ? [...chain, analysis.functionName(target)] : chain;
    found.push(...disposedArguments(analysis, target, innerBindings, innerChain, depth + 1, visited, maxCallDepth));
  }
  return found;
}

function keysOf(held: readonly Acquisition[]): Set<string> {
  return new Set(held.map((acquisition) => acquisition.instance.key));
}

/** The innermost loop around `node` that is still inside `owner` (a loop body runs many passes). */
function enclosingLoopWithin(node: TSESTree.Node, owner: TSESTree.Node): TSESTree.Node | undefined {
  let current = node.parent;
  while (current && current !== owner) {
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return current;
      default:
        current = current.parent;
    }
  }
  return undefined;
}
