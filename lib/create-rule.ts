import { ESLintUtils } from '@typescript-eslint/utils';

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
