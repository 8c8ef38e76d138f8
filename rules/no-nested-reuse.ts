import type { TSESTree } from '@typescript-eslint/utils';

import type { Acquisition, FileAnalysis } from '../analysis/held-sections.js';
import { getFileAnalysis, mayContainAcquisition } from '../analysis/held-sections.js';
import type { Reacquisition } from '../analysis/reacquisitions.js';
import { findReacquisitions } from '../analysis/reacquisitions.js';
import type { UserKindOption } from '../analysis/resource-kinds.js';
import { kindRegistryFor, kindsOptionSchema } from '../analysis/resource-kinds.js';
import { stackSplitPlanner } from '../analysis/stack-split.js';
import { typeServicesOf } from '../analysis/type-services.js';
import { createRule, withPrecheck } from '../lib/create-rule.js';

/** The first option as a user writes it; `defaultOptions` fills what is left out. */
export interface NoNestedReuseOptions {
  kinds?: UserKindOption[];
  maxCallDepth?: number;
}

export type NoNestedReuseMessageId =
  | 'nestedLock'
  | 'nestedSharedLock'
  | 'waitsForOwnUnlock'
  | 'nestedUsing'
  | 'nestedLockViaCall'
  | 'nestedSharedLockViaCall'
  | 'nestedUsingViaCall'
  | 'usingInLoop'
  | 'calleeDisposesArgument'
  | 'splitStack';

export const DEFAULT_MAX_CALL_DEPTH = 8;

const rule = createRule<[NoNestedReuseOptions], NoNestedReuseMessageId>({
  name: 'no-nested-reuse',
  meta: {
    type: 'problem',
    docs: {
      description:
        'disallow acquiring a non-reentrant lock or binding a disposable stack while the same instance is already held, directly or through calls',
      recommended: true,
    },
    hasSuggestions: true,
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
      nestedSharedLock:
        'Shared `{{instance}}` is requested again here while {{holder}} (line {{line}}) holds it shared: as soon as another context queues an exclusive request for it, this request waits behind that one, which waits for the outer hold (deadlock).',
      waitsForOwnUnlock:
        '`{{instance}}.waitForUnlock()` is awaited while {{holder}} (line {{line}}) holds it: it resolves only once that hold is released, which waits for this (deadlock).',
      nestedUsing:
        '`{{instance}}` is bound with `using` again while {{holder}} (line {{line}}) still holds it: leaving this inner scope disposes it, outer registrations included, while the outer scope goes on using it. Give each scope its own stack. (`npx ctx-codemod split-nested-stacks` does it for stacks).',
      nestedLockViaCall:
        '{{chain}} acquires `{{instance}}` while `{{holder}}` holds it (line {{line}}): a non-reentrant lock waits for itself and never resolves (deadlock).',
      nestedSharedLockViaCall:
        '{{chain}} requests shared `{{instance}}` while `{{holder}}` holds it shared (line {{line}}): as soon as another context queues an exclusive request for it, this request waits behind that one (deadlock).',
      nestedUsingViaCall:
        '{{chain}} binds `{{instance}}` with `using` while `{{holder}}` still holds it (line {{line}}): the callee disposes it under the caller. Give each scope its own stack. (`npx ctx-codemod split-nested-stacks` does it for stacks).',
      usingInLoop:
        '`{{instance}}` is bound with `using` in a loop body but created outside the loop: the first pass disposes it and every later pass binds an already disposed instance. Create one per pass. (`npx ctx-codemod split-nested-stacks` does it for stacks).',
      calleeDisposesArgument:
        '{{chain}} binds the caller\'s `{{instance}}` with `using`, which disposes it, but the caller uses `{{instance}}` afterwards (line {{line}}).',
      splitStack: 'Give this `using` its own stack and move the registrations made here to it (what `npx ctx-codemod split-nested-stacks` does).',
    },
  },
  defaultOptions: [{ kinds: [], maxCallDepth: DEFAULT_MAX_CALL_DEPTH }],
  create(context, [options]) {
    const registry = kindRegistryFor(options.kinds ?? []);
    const maxCallDepth = options.maxCallDepth ?? DEFAULT_MAX_CALL_DEPTH;
    const types = typeServicesOf(context);
    return {
      'Program:exit'() {
        const analysis = getFileAnalysis(context.sourceCode, registry, types);
        const planner = stackSplitPlanner(analysis);
        for (const found of findReacquisitions(analysis, { maxCallDepth })) {
          const plan = planner.planFor(found);
          const edits = plan?.fixable ? plan.edits : [];
          context.report({
            ...wordFinding(analysis, found),
            suggest: edits.length > 0 ? [{ messageId: 'splitStack', fix: (fixer) => edits.map((edit) => fixer.replaceTextRange(edit.range, edit.text)) }] : [],
          });
        }
      },
    };
  },
});

/** The rule without its text pre-check: tests prove the pre-check never drops one of its reports. */
export const ruleWithoutPrecheck = rule;

/**
 * Cheap bail-out: a file that mentions no lock, lock request or `using` costs one scan of its
 * text (and a token scan when it says "using"), never a traversal.
 */
export default withPrecheck(rule, (context) => {
  const registry = kindRegistryFor(context.options[0]?.kinds ?? []);
  const typed = context.sourceCode.parserServices?.program != null;
  return mayContainAcquisition(context.sourceCode, registry, typed);
});

interface Finding {
  node: TSESTree.Node;
  messageId: NoNestedReuseMessageId;
  data: Record<string, string | number>;
}

/** Words each answer of the analysis as one report. */
function wordFinding(analysis: FileAnalysis, found: Reacquisition): Finding {
  const line = (node: TSESTree.Node): number => node.loc.start.line;
  const holderName = (holder: Acquisition): string => analysis.functionName(analysis.ownerOf(holder.node));
  const chainText = (chain: readonly string[]): string => chain.map((name) => `\`${name}\``).join(' → ');
  switch (found.kind) {
    case 'nested': {
      const { holder, inner } = found;
      const describedHolder =
        holder.form === 'using'
          ? `the enclosing \`using\` in \`${holderName(holder)}\``
          : `the enclosing ${holder.form === 'wrapper' ? `\`${holder.via?.[0] ?? 'wrapper'}\` call` : 'acquisition'} in \`${holderName(holder)}\``;
      const messageId: NoNestedReuseMessageId =
        inner.effect === 'dispose' ? 'nestedUsing' : inner.form === 'waitForUnlock' ? 'waitsForOwnUnlock' : found.sharedOnly ? 'nestedSharedLock' : 'nestedLock';
      return { node: found.node, messageId, data: { instance: holder.instance.label, holder: describedHolder, line: line(holder.node) } };
    }
    case 'viaCall': {
      const { holder, inner } = found;
      const messageId: NoNestedReuseMessageId = inner.effect === 'dispose' ? 'nestedUsingViaCall' : found.sharedOnly ? 'nestedSharedLockViaCall' : 'nestedLockViaCall';
      return {
        node: found.node,
        messageId,
        data: { chain: chainText(found.chain), instance: holder.instance.label, holder: holderName(holder), line: line(holder.node) },
      };
    }
    case 'usingInLoop':
      return { node: found.node, messageId: 'usingInLoop', data: { instance: found.inner.instance.label } };
    case 'calleeDisposesArgument':
      return { node: found.node, messageId: 'calleeDisposesArgument', data: { chain: chainText(found.chain), instance: found.label, line: line(found.laterUse) } };
  }
}
