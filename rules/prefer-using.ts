import path from 'node:path';

import { analyzeTryFinallyCleanups, type AstNode, type SourceComment } from '../analysis/try-finally-cleanup.js';
import { dialectForPath } from '../analysis/try-finally-parse.js';
import { createRule } from '../lib/create-rule.js';

// The lint twin of the codemod `try-finally-to-using`. It runs the codemod's own detector on the
// AST ESLint already has (the detector reads Babel's and ESTree's shapes alike), with the same
// policy options, so it reports exactly the sites `ctx-codemod` rewrites, no more, no fewer.
// A file whose text has no `finally` costs one substring search.

type Options = [{ allSites?: boolean }];

export default createRule<Options, 'preferUsing'>({
  name: 'prefer-using',
  meta: {
    type: 'suggestion',
    docs: {
      description:
        'require `using` / `DisposableStack` instead of hand-written try/finally cleanup that `ctx-codemod try-finally-to-using` can rewrite',
      recommended: false,
    },
    schema: [
      {
        type: 'object',
        properties: {
          allSites: {
            type: 'boolean',
            description:
              'Also report a try/finally whose only cleanup is a side effect (`finally { busy = false }`), as `ctx-codemod --all-sites` converts it.',
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      preferUsing:
        'This try/finally only releases resources: `using` / DisposableStack does it and runs every cleanup even when one throws. Rewrite it with `npx ctx-codemod try-finally-to-using {{file}}`.',
    },
  },
  defaultOptions: [{ allSites: false }],
  create(context, [{ allSites = false }]) {
    const { sourceCode } = context;
    if (!sourceCode.text.includes('finally')) return {};
    return {
      Program(program) {
        const analysis = analyzeTryFinallyCleanups(program as unknown as AstNode, {
          allSites,
          typescript: dialectForPath(context.filename) !== 'babel',
          comments: sourceCode.getAllComments() as unknown as SourceComment[],
        });
        if (analysis.chains.length === 0) return;
        const file = path.relative(context.cwd, context.filename) || context.filename;
        for (const site of analysis.chains) {
          context.report({
            loc: {
              start: { line: site.line, column: site.column },
              end: { line: site.line, column: site.column + 'try'.length },
            },
            messageId: 'preferUsing',
            data: { file },
          });
        }
      },
    };
  },
});
