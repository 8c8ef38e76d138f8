import { createRequire } from 'node:module';

import type tsParserModule from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Linter } from 'eslint';
import type * as eslintModule from 'eslint';
import type { API, FileInfo } from 'jscodeshift';

import { getFileAnalysis } from '../analysis/held-sections.js';
import { findReacquisitions } from '../analysis/reacquisitions.js';
import { kindRegistryFor } from '../analysis/resource-kinds.js';
import type { TransformOptions } from './index.js';
import type { CleanupListRewrite } from '../analysis/cleanup-list.js';
import { planCleanupLists, renderCleanupListEdits } from '../analysis/cleanup-list.js';
import type { SiteLocation, SiteRefusal, SiteRewriteResult } from '../analysis/site-result.js';
import type { StackSplitRefusalReason, TextEdit } from '../analysis/stack-split.js';
import { applyTextEdits, stackSplitPlanner, stackSplitRefusalReasons } from '../analysis/stack-split.js';

// The codemod `split-nested-stacks`: gives a stack bound with `using` inside a scope that already
// holds it (or received from a caller that holds it) a stack of its own. The detector is the one
// of `ctx/no-nested-reuse` (analysis/held-sections.ts, reacquisitions.ts) and the fix is
// analysis/stack-split.ts, which the rule offers as its suggestion. The printer only replaces
// an initializer and the receivers of registrations, so no other text changes.
// It also turns hand-rolled cleanup lists (`cleanups.push(…)` run in a `finally`) into one
// DisposableStack per scope (analysis/cleanup-list.ts); no rule reports those.
// See docs/codemods/split-nested-stacks.md.

export { stackSplitRefusalReasons as refusalReasons } from '../analysis/stack-split.js';
export type { StackSplitRefusalReason as RefusalReason } from '../analysis/stack-split.js';

/** `no-nested-reuse`'s default `maxCallDepth`: the codemod fixes what the rule reports by default. */
export const MAX_CALL_DEPTH = 8;

export type { SiteLocation };
export type Refusal = SiteRefusal<StackSplitRefusalReason>;

export interface TransformResult extends SiteRewriteResult<StackSplitRefusalReason> {
  changed: boolean;
}

/** Which sites to fix: the stack splits `no-nested-reuse` reports, the cleanup lists, or both (the default). */
export interface SplitOptions extends TransformOptions {
  only?: 'stacks' | 'lists';
}

/**
 * Every stack site is a `using` declaration; every cleanup list is pushed on and run in a
 * `finally`. A file with neither `using` nor both `finally` and `.push(` has no site.
 */
export const MIGHT_MATCH = /\busing\b|^(?=[\s\S]*\bfinally\b)[\s\S]*\.push\s*\(/;

interface Site {
  node: TSESTree.Node;
  plan:
    | { fixable: true; site: TSESTree.Node; edits: readonly TextEdit[] }
    | { fixable: true; site: TSESTree.Node; list: CleanupListRewrite }
    | { fixable: false; reason: StackSplitRefusalReason };
}

// ESLint and its TypeScript parser load on the first file that mentions `using`: the registry
// imports every transform, and a run of another transform should not pay for them.
const require = createRequire(import.meta.url);
let parsing: { linter: Linter; parser: typeof tsParserModule } | undefined;
function loadParsing(): { linter: Linter; parser: typeof tsParserModule } {
  if (!parsing) {
    const eslint = require('eslint') as typeof eslintModule;
    parsing = { linter: new eslint.Linter({ configType: 'flat' }), parser: require('@typescript-eslint/parser') as typeof tsParserModule };
  }
  return parsing;
}

/** The parser's view of a file name: the extension decides TypeScript and JSX. */
function virtualName(filePath: string): string {
  const lower = filePath.toLowerCase();
  if (/\.[cm]?ts$/.test(lower)) return 'input.ts';
  if (lower.endsWith('.tsx')) return 'input.tsx';
  return 'input.jsx';
}

/**
 * The stack findings of `no-nested-reuse` on `source` and the file's cleanup lists, each with
 * its split (or refusal), in source order, and the parsed file.
 */
function findSites(source: string, filePath: string, options: SplitOptions): { sites: Site[]; sourceCode: Readonly<TSESLint.SourceCode> } {
  let sites: Site[] | undefined;
  let parsed: Readonly<TSESLint.SourceCode> | undefined;
  const probe: TSESLint.RuleModule<never, []> = {
    defaultOptions: [],
    meta: { type: 'problem', schema: [], messages: {} },
    create(context) {
      return {
        'Program:exit'() {
          parsed = context.sourceCode;
          sites = [];
          if (options.only !== 'lists' && /\busing\b/.test(source)) {
            const analysis = getFileAnalysis(context.sourceCode, kindRegistryFor([]), undefined);
            const planner = stackSplitPlanner(analysis);
            for (const found of findReacquisitions(analysis, { maxCallDepth: MAX_CALL_DEPTH })) {
              const plan = planner.planFor(found);
              if (plan) sites.push({ node: found.node, plan });
            }
          }
          if (options.only !== 'stacks') {
            for (const plan of planCleanupLists(context.sourceCode)) {
              sites.push({ node: plan.site, plan: plan.fixable ? { fixable: true, site: plan.site, list: plan.rewrite } : { fixable: false, reason: plan.reason } });
            }
          }
          sites.sort((a, b) => a.node.range[0] - b.node.range[0]);
        },
      };
    },
  };
  const lower = filePath.toLowerCase();
  const { linter, parser } = loadParsing();
  const messages = linter.verify(
    source,
    [
      {
        files: ['**/*.ts', '**/*.tsx', '**/*.jsx'],
        languageOptions: {
          parser: parser as Linter.Parser,
          sourceType: lower.endsWith('.cjs') || lower.endsWith('.cts') ? 'commonjs' : 'module',
          parserOptions: { ecmaFeatures: { jsx: !virtualName(filePath).endsWith('.ts') } },
        },
        plugins: { split: { rules: { sites: probe as never } } },
        rules: { 'split/sites': 'error' },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
      },
    ],
    virtualName(filePath),
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`${filePath}:${fatal.line}:${fatal.column - 1}: cannot parse (typescript-eslint parser): ${fatal.message}`);
  if (!sites || !parsed) throw new Error(`${filePath}: the analysis did not run`);
  return { sites, sourceCode: parsed };
}

function overlaps(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.some((x) => b.some((y) => x.range[0] < y.range[1] && y.range[0] < x.range[1]));
}

/** The transform as the CLI runs it: pure, throws (naming file, line and column) on a parse error. */
export function transformSource(source: string, filePath: string, options: SplitOptions = {}): TransformResult {
  if (!MIGHT_MATCH.test(source)) return { output: source, changed: false, converted: [], refused: [] };
  const converted: SiteLocation[] = [];
  const refused: Refusal[] = [];
  const accepted = new Map<TSESTree.Node, readonly TextEdit[]>();
  const lists: CleanupListRewrite[] = [];
  const where = (node: TSESTree.Node): SiteLocation => ({ line: node.loc.start.line, column: node.loc.start.column });
  const refuse = (node: TSESTree.Node, reason: StackSplitRefusalReason): void => {
    refused.push({ ...where(node), reason, message: stackSplitRefusalReasons[reason] });
  };
  const { sites, sourceCode } = findSites(source, filePath, options);
  for (const { node, plan } of sites) {
    if (!plan.fixable) {
      refuse(node, plan.reason);
      continue;
    }
    const edits: readonly TextEdit[] = 'list' in plan ? plan.list.edits.map((edit) => ({ range: edit.range, text: '' })) : plan.edits;
    // Several callers may share one callee's split: its edits are applied once.
    const clash =
      [...accepted].some(([site, other]) => site !== plan.site && overlaps(other, edits)) ||
      lists.some((list) => overlaps(list.edits.map((edit) => ({ range: edit.range, text: '' })), edits));
    if (clash) {
      refuse(node, 'ambiguous-scope');
      continue;
    }
    if ('list' in plan) lists.push(plan.list);
    else accepted.set(plan.site, plan.edits);
    converted.push(where(node));
  }
  const output = applyTextEdits(source, renderCleanupListEdits(sourceCode, lists, [...accepted.values()].flat()));
  return { output, changed: output !== source, converted, refused };
}

/** The jscodeshift entry point: `jscodeshift -t dist/codemods/split-nested-stacks.js`. */
export default function transform(file: FileInfo, _api: API): string | undefined {
  const result = transformSource(file.source, file.path);
  return result.changed ? result.output : undefined;
}
