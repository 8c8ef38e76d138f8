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

const createDocumentedRule = ESLintUtils.RuleCreator<CtxRuleDocs>(ruleDocsUrl);

/**
 * typescript-eslint's `RuleCreator` (the docs URL, `meta.defaultOptions`), whose `create` hands
 * the rule ESLint's own options when they are complete.
 *
 * `RuleCreator` deep-clones the default options (`structuredClone`) and merges the given ones
 * into the clone for every file. ESLint (flat config, ≥ 9.15) has already merged
 * `meta.defaultOptions` into `context.options`, so on a large run that work is repeated on
 * every file the rule looks at, for nothing. Options that lack a default key (legacy
 * eslintrc mode, which does not merge) still go through `applyDefault`. The rules treat their
 * options as read-only: ESLint may hand every file the same `meta.defaultOptions` array.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(
  definition: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, CtxRuleDocs>>,
): ReturnType<typeof createDocumentedRule<Options, MessageIds>> {
  const rule = createDocumentedRule(definition);
  const defaults = (definition.meta.defaultOptions ?? definition.defaultOptions ?? []) as Options;
  const { create } = definition;
  return {
    ...rule,
    create(context) {
      const given: Options = context.options;
      return create(context, hasEveryDefault(given, defaults) ? given : ESLintUtils.applyDefault<Options, Options>(defaults, given));
    },
  };
}

/**
 * True when each option has every key its default has, so merging the defaults in changes
 * nothing. Top-level keys only: every rule's default option is one flat object (arrays, flags,
 * numbers), which both merges replace whole.
 */
function hasEveryDefault(options: readonly unknown[], defaults: readonly unknown[]): boolean {
  if (options.length < defaults.length) return false;
  for (let index = 0; index < defaults.length; index++) {
    const fallback = defaults[index];
    const option = options[index];
    if (option === undefined) return false;
    if (!ESLintUtils.isObjectNotArray(fallback)) continue;
    if (!ESLintUtils.isObjectNotArray(option)) return false;
    for (const key of Object.keys(fallback)) if (!Object.hasOwn(option, key)) return false;
  }
  return true;
}

/**
 * Files that cannot contain a rule's target cost one text check, nothing more.
 *
 * Wrapping the created rule puts the check first, before `create` reads its options;
 * `precheck` reads the raw options (ESLint has already merged `meta.defaultOptions` into them).
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
