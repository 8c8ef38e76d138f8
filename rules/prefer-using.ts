import path from 'node:path';

import { childKeyOf } from '../analysis/try-finally-ast-shape.js';
import { analyzeTryFinallyCleanups, IGNORE_COMMENT, type AstNode, type TrySite } from '../analysis/try-finally-cleanup.js';
import { cleanupPolicyFor } from '../analysis/try-finally-policy.js';
import { rewriteCleanupSite } from '../analysis/try-finally-rewrite.js';
import type { LintedFile } from '../analysis/try-finally-survey.js';
import type { TSESLint } from '@typescript-eslint/utils';

import { createRule } from '../lib/create-rule.js';

// The lint twin of the codemod `try-finally-to-using`. It runs the codemod's own detector on the
// AST ESLint already has (the detector reads Babel's and ESTree's shapes alike), with the same
// policy options, so it reports exactly the sites `ctx-codemod` rewrites, no more, no fewer.
// ESLint's own traversal hands over the tries with a `finally` and their ancestors (a file
// without one costs no more than two listener calls, see the export below), and the detector
// walks only the functions that hold them; a reported site's suggestion reads ESLint's tokens
// and scopes (analysis/try-finally-survey.ts) instead of walking the whole file.

type Options = [{ allSites?: boolean }];

const preferUsing = createRule<Options, 'preferUsing' | 'rewriteWithUsing'>({
  name: 'prefer-using',
  meta: {
    type: 'suggestion',
    docs: {
      description:
        'require `using` / `DisposableStack` instead of hand-written try/finally cleanup that `ctx-codemod try-finally-to-using` can rewrite',
      recommended: false,
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        properties: {
          allSites: {
            type: 'boolean',
            description:
              'Also report a try/finally whose cleanups are side effects that release nothing (`finally { busy = false }`), as `ctx-codemod --all-sites` converts it.',
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      preferUsing:
        'This try/finally only releases resources: `using` / DisposableStack does it and runs every cleanup even when one throws. Rewrite it with `npx ctx-codemod try-finally-to-using {{file}}`.',
      rewriteWithUsing: 'Rewrite this try/finally with `using` / DisposableStack, as `ctx-codemod try-finally-to-using` does.',
    },
  },
  defaultOptions: [{ allSites: false }],
  create(context, [{ allSites = false }]) {
    const { sourceCode } = context;
    const tries: TrySite[] = [];
    return {
      TryStatement(node) {
        if (!node.finalizer) return;
        const parentKey = childKeyOf(node.parent as unknown as AstNode, node as unknown as AstNode);
        if (parentKey === null) return;
        tries.push({
          node: node as unknown as AstNode,
          parent: node.parent as unknown as AstNode,
          parentKey,
          ancestors: sourceCode.getAncestors(node) as unknown as AstNode[],
        });
      },
      'Program:exit'(program) {
        if (tries.length === 0) return;
        // Reading every comment for the ignore marker cost more than a search of the text.
        const comments = sourceCode.text.includes(IGNORE_COMMENT) ? sourceCode.getAllComments() : [];
        const analysis = analyzeTryFinallyCleanups(program as unknown as AstNode, {
          ...cleanupPolicyFor({ allSites, filePath: context.filename, comments, tries }),
          childKeys: sourceCode.visitorKeys,
          // Only the sites are reported: tries that cannot convert are dropped undecided.
          refusals: false,
        });
        if (analysis.chains.length === 0) return;
        const file = path.relative(context.cwd, context.filename) || context.filename;
        // The printer reads ESLint's tokens and scopes instead of walking the whole file.
        const linted: LintedFile = {
          tokens: sourceCode.ast.tokens,
          scopes: sourceCode.scopeManager?.scopes ?? [],
          childKeys: sourceCode.visitorKeys,
        };
        for (const site of analysis.chains) {
          // The codemod's own printer writes the suggestion, so applying it equals the codemod's
          // rewrite of this site.
          const { range, text } = rewriteCleanupSite(sourceCode.text, program as unknown as AstNode, analysis, site, linted);
          context.report({
            loc: {
              start: { line: site.line, column: site.column },
              end: { line: site.line, column: site.column + 'try'.length },
            },
            messageId: 'preferUsing',
            data: { file },
            suggest: [{ messageId: 'rewriteWithUsing', fix: (fixer) => fixer.replaceTextRange(range, text) }],
          });
        }
      },
    };
  },
});

type Listeners = TSESLint.RuleListener;

/**
 * The rule's own `create` runs at the first try with a `finally`, not for every file: most files
 * have none, and typescript-eslint's option merging (a `structuredClone` per file) or a search
 * of the text for `finally` cost more there than two listener calls (ESLint's `TIMING` counts
 * `create` too). A try/finally is a TryStatement with a `finalizer`, whatever its text.
 */
export default {
  ...preferUsing,
  create(context: Readonly<TSESLint.RuleContext<'preferUsing' | 'rewriteWithUsing', Options>>): Listeners {
    let listeners: Listeners | null = null;
    return {
      TryStatement(node) {
        if (!node.finalizer) return;
        listeners ??= preferUsing.create(context);
        listeners.TryStatement?.(node);
      },
      'Program:exit'(program) {
        listeners?.['Program:exit']?.(program);
      },
    };
  },
} satisfies TSESLint.RuleModule<'preferUsing' | 'rewriteWithUsing', Options>;
