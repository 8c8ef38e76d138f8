import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_TOKEN_TYPES } from '@typescript-eslint/utils';

import type { KindRegistry } from './resource-kinds.js';
import { containsAny } from './resource-kinds.js';

/**
 * True when the file may contain an acquisition the rules recognise; false lets a rule return
 * before any traversal. Text tests first; a `using` declaration is confirmed on the token list
 * (comments and prose say "using" all the time).
 */
export function mayContainAcquisition(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, typed: boolean): boolean {
  const text = sourceCode.text;
  if (!(typed ? registry.typedCandidatePattern : registry.untypedCandidatePattern).test(text)) return false;
  // With types any `acquire()` receiver may turn out to be a Mutex declared elsewhere.
  if (typed) return true;
  if (containsAny(text, registry.scopedCallWords)) return true;
  if (containsAny(text, registry.acquireCallWords) && containsAny(text, registry.kindNameWords)) return true;
  // Prose says "using" all the time: the text shape of a declaration first, then the tokens.
  return text.includes('using') && USING_DECLARATION_TEXT.test(text) && hasUsingDeclaration(sourceCode.ast.tokens);
}

/** `using x =`, `using x of` as text: comments may match, the token scan decides. */
const USING_DECLARATION_TEXT = /\busing\s+[\p{L}$_][\p{L}\p{N}$_]*\s*(?:=|of\b)/u;

/** `using x =`, `await using x =`, `for (using x of …)` in the token list. */
function hasUsingDeclaration(tokens: readonly TSESTree.Token[]): boolean {
  for (let index = 0; index < tokens.length - 2; index++) {
    if (tokens[index]?.value !== 'using') continue;
    const name = tokens[index + 1];
    const after = tokens[index + 2];
    if (name?.type === AST_TOKEN_TYPES.Identifier && (after?.value === '=' || after?.value === 'of')) return true;
  }
  return false;
}
