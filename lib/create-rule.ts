import { ESLintUtils, type TSESLint } from '@typescript-eslint/utils';

/** Where the rule docs live; every rule's `meta.docs.url` points into this folder. */
export const REPOSITORY_URL = 'https://github.com/eslint-plugin-ctx/eslint-plugin-ctx';

/** Extra `meta.docs` fields every ctx rule declares (typescript-eslint style). */
export interface CtxRuleDocs {
  /** Which shipped config enables the rule; `false` when only `all` does. */
  recommended?: boolean;
  /** True when the rule needs type information (it is then only in `recommended-type-checked`). */
  requiresTypeChecking?: boolean;
}

export const ruleDocsUrl = (name: string): string => `${REPOSITORY_URL}/blob/main/docs/rules/${name}.md`;

export const createRule = ESLintUtils.RuleCreator<CtxRuleDocs>(ruleDocsUrl);

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
      return precheck(context) ? create(context) : NO_LISTENERS;
    },
  };
}

/**
 * What a skipped file gets: one shared object, so a skip allocates nothing (inside `create` an
 * allocation can start a garbage collection, which ESLint's TIMING then charges to the rule).
 */
export const NO_LISTENERS: Readonly<Record<string, never>> = Object.freeze({});
