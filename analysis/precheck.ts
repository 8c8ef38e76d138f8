import type { TSESLint } from '@typescript-eslint/utils';

/**
 * Files that cannot contain a rule's target cost one text check, nothing more.
 *
 * typescript-eslint's `RuleCreator` deep-clones the default options (`structuredClone`) for every
 * file before the rule's `create` runs: on thousands of files that clone alone costs more than the
 * text check. Wrapping the created rule puts the check first; `precheck` reads the raw options
 * (ESLint has already merged `meta.defaultOptions` into them).
 */
export function withPrecheck<MessageIds extends string, Options extends readonly unknown[], Docs>(
  rule: TSESLint.RuleModule<MessageIds, Options, Docs>,
  precheck: (context: Readonly<TSESLint.RuleContext<MessageIds, Options>>) => boolean,
): TSESLint.RuleModule<MessageIds, Options, Docs> {
  const { create } = rule;
  return {
    ...rule,
    create(context) {
      return precheck(context) ? create(context) : {};
    },
  };
}
