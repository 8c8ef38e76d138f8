import tsParser from '@typescript-eslint/parser';
import type { ESLint, Linter, Rule } from 'eslint';

import { PACKAGE_NAME, PACKAGE_VERSION } from './lib/package-info.js';
import noFloatingDisposable from './rules/no-floating-disposable.js';
import noGlobalStdoutRebinding from './rules/no-global-stdout-rebinding.js';
import noNestedReuse from './rules/no-nested-reuse.js';
import noUseAfterDispose from './rules/no-use-after-dispose.js';
import noUsingEscape from './rules/no-using-escape.js';
import preferUsing from './rules/prefer-using.js';

/**
 * Every rule of the plugin, by name. A rule's config membership comes from its own
 * `meta.docs` (`recommended`, `requiresTypeChecking`), so the configs below cannot drift
 * from the rules.
 */
const ruleModules = {
  'no-floating-disposable': noFloatingDisposable,
  'no-global-stdout-rebinding': noGlobalStdoutRebinding,
  'no-nested-reuse': noNestedReuse,
  'no-use-after-dispose': noUseAfterDispose,
  'no-using-escape': noUsingEscape,
  'prefer-using': preferUsing,
};

export type CtxRuleName = keyof typeof ruleModules;

/** The config names the plugin ships, as `ctx.configs[name]`. */
export type CtxConfigName = 'recommended' | 'recommended-type-checked' | 'all';

export interface CtxPlugin extends ESLint.Plugin {
  meta: { name: string; version: string; namespace: 'ctx' };
  rules: Record<CtxRuleName, Rule.RuleModule>;
  configs: Record<CtxConfigName, Linter.Config>;
}

interface RuleDocsFlags {
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

const docsOf = (name: CtxRuleName): RuleDocsFlags => (ruleModules[name].meta.docs ?? {}) as RuleDocsFlags;

const ruleNames = Object.keys(ruleModules) as CtxRuleName[];

function errorsFor(pick: (docs: RuleDocsFlags) => boolean): Linter.RulesRecord {
  return Object.fromEntries(ruleNames.filter((name) => pick(docsOf(name))).map((name) => [`ctx/${name}`, 'error']));
}

// typescript-eslint's RuleModule and ESLint's Rule.RuleModule describe the same runtime
// object with different (stricter) types; the plugin exposes ESLint's, which is what
// `defineConfig` and `eslint.config.*` users check against.
const rules = ruleModules as unknown as Record<CtxRuleName, Rule.RuleModule>;

const plugin: CtxPlugin = {
  meta: { name: PACKAGE_NAME, version: PACKAGE_VERSION, namespace: 'ctx' },
  rules,
  configs: {} as Record<CtxConfigName, Linter.Config>,
};

plugin.configs.recommended = {
  name: 'ctx/recommended',
  plugins: { ctx: plugin },
  rules: errorsFor((docs) => docs.recommended === true && docs.requiresTypeChecking !== true),
};
/** The files ESLint does not lint unless a config names them, and which need a TypeScript parser. */
const TYPESCRIPT_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

// Like typescript-eslint's `recommendedTypeChecked`, this config sets up typed parsing itself
// (parser and `projectService`), so adding it is all a TypeScript project does to give the
// rules type information; `recommended` alone leaves parsing to the user's config.
plugin.configs['recommended-type-checked'] = {
  name: 'ctx/recommended-type-checked',
  files: TYPESCRIPT_FILES,
  plugins: { ctx: plugin },
  languageOptions: {
    parser: tsParser,
    parserOptions: { projectService: true },
  },
  rules: errorsFor((docs) => docs.recommended === true),
};
plugin.configs.all = {
  name: 'ctx/all',
  plugins: { ctx: plugin },
  rules: errorsFor(() => true),
};

export default plugin;
