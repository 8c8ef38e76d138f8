import path from 'node:path';

import { analyzeTryFinallyCleanups, type AstNode, type SiteLocation } from '../analysis/try-finally-cleanup.js';
import { parseForCleanupAnalysis } from '../analysis/try-finally-parse.js';
import { createRule } from '../lib/create-rule.js';

// The lint twin of the codemod `try-finally-to-using`. It does not look at ESLint's AST: it
// re-parses the file text with the codemod's own parser (chosen by file extension) and runs the
// codemod's own detector, so it reports exactly the sites `ctx-codemod` rewrites, no more, no
// fewer. The re-parse is paid only by files that contain the word `finally`.

function cleanupSites(text: string, filename: string): SiteLocation[] {
  let ast: AstNode;
  try {
    ast = parseForCleanupAnalysis(text, filename) as unknown as AstNode;
  } catch {
    // ESLint parsed the file with its own parser (Flow, Vue, a newer proposal…); when the
    // codemod's parser cannot read it, the codemod cannot rewrite it either: nothing to report.
    return [];
  }
  return analyzeTryFinallyCleanups(ast).chains;
}

export default createRule({
  name: 'prefer-using',
  meta: {
    type: 'suggestion',
    docs: {
      description:
        'require `using` / `DisposableStack` instead of hand-written try/finally cleanup that `ctx-codemod try-finally-to-using` can rewrite',
      recommended: false,
    },
    schema: [],
    messages: {
      preferUsing:
        'This try/finally only releases resources: `using` / DisposableStack does it and runs every cleanup even when one throws. Rewrite it with `npx ctx-codemod try-finally-to-using {{file}}`.',
    },
  },
  defaultOptions: [],
  create(context) {
    const text = context.sourceCode.text;
    if (!text.includes('finally')) return {};
    return {
      Program() {
        const file = path.relative(context.cwd, context.filename) || context.filename;
        for (const site of cleanupSites(text, context.filename)) {
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
