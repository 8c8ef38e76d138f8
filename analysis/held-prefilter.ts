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
  if (typed) return registry.typedCandidatePattern.test(text);
  if (!registry.hasUserKinds) return mayContainBuiltInAcquisition(text, sourceCode.ast.tokens);
  if (!registry.untypedCandidatePattern.test(text)) return false;
  if (containsAny(text, registry.scopedCallWords)) return true;
  if (containsAny(text, registry.acquireCallWords) && containsAny(text, registry.kindNameWords)) return true;
  return hasUsingDeclaration(text, sourceCode.ast.tokens);
}

/**
 * The same test for the built-in kinds, in one scan of the text: `.runExclusive`,
 * `locks.request`, `.acquire` / `.waitForUnlock` in a file that says `Mutex` or `Semaphore`, or
 * a `using` declaration. Each candidate word is judged where it is found, so a file costs one
 * regex pass plus a look at each match (a `.`-led `includes` is several times slower than a
 * scan for a word, and prose says "using" often); nothing is allocated.
 */
function mayContainBuiltInAcquisition(text: string, tokens: readonly TSESTree.Token[]): boolean {
  const words = BUILT_IN_WORDS;
  words.lastIndex = 0;
  let acquireCall: boolean | undefined;
  while (words.test(text)) {
    const end = words.lastIndex;
    const last = text.charCodeAt(end - 1);
    if (last === 103) {
      // using
      if (isUsingDeclarationAt(tokens, end - 5)) return true;
    } else if (last === 116) {
      return true; // locks.request
    } else if (last === 101 && text.startsWith('runExclusive', end - 12)) {
      if (text.charCodeAt(end - 13) === 46) return true; // `.runExclusive`
    } else {
      // Mutex, Semaphore: an acquisition needs an `.acquire()` or `.waitForUnlock()` too.
      acquireCall ??= containsMethodWord(text, 'acquire') || containsMethodWord(text, 'waitForUnlock');
      if (acquireCall) return true;
    }
  }
  return false;
}

/** The words `mayContainBuiltInAcquisition` judges (each told apart by its last letter). */
const BUILT_IN_WORDS = /runExclusive|locks\.request|Mutex|Semaphore|using/g;

/** `.word` somewhere in the text (found by the word, then the dot before it: much faster). */
function containsMethodWord(text: string, word: string): boolean {
  for (let at = text.indexOf(word, 1); at >= 0; at = text.indexOf(word, at + word.length)) {
    if (text.charCodeAt(at - 1) === 46) return true;
  }
  return false;
}

/**
 * `using x =`, `await using x =`, `for (using x of …)`: a `using` token followed by a name and
 * `=` or `of`. Only the places where the text says "using" are looked up in the token list (by
 * binary search), so prose costs a few lookups and nothing is allocated.
 */
export function hasUsingDeclaration(text: string, tokens: readonly TSESTree.Token[]): boolean {
  for (let at = text.indexOf('using'); at >= 0; at = text.indexOf('using', at + 5)) {
    if (isUsingDeclarationAt(tokens, at)) return true;
  }
  return false;
}

/** True when the text's "using" at `at` is the `using` token of a declaration. */
function isUsingDeclarationAt(tokens: readonly TSESTree.Token[], at: number): boolean {
  const index = tokenStartingAt(tokens, at);
  if (index < 0 || tokens[index]?.value !== 'using') return false;
  const name = tokens[index + 1];
  const after = tokens[index + 2];
  return name?.type === AST_TOKEN_TYPES.Identifier && (after?.value === '=' || after?.value === 'of');
}

/**
 * True when some member call may name one of `methods`: `x.use(…)`, `x?.defer(…)`, `x['move'](…)`
 * (comments between the dot and the name included). A property token must follow `.` / `?.`,
 * a string key must follow `[` (or a parenthesis inside one); the text is searched first, tokens only where it matches.
 */
export function mayCallMethodNamed(text: string, tokens: readonly TSESTree.Token[], methods: Iterable<string>): boolean {
  for (const method of methods) {
    for (let at = text.indexOf(method); at >= 0; at = text.indexOf(method, at + method.length)) {
      if (!isWordAt(text, at, method.length)) continue;
      const property = tokenStartingAt(tokens, at);
      if (property >= 0) {
        const token = tokens[property];
        const before = tokens[property - 1]?.value;
        if (token?.type === AST_TOKEN_TYPES.Identifier && token.value === method && (before === '.' || before === '?.')) return true;
        continue;
      }
      // `x['use']` (or `x[('use')]`): the string token starts at the quote.
      const key = tokenStartingAt(tokens, at - 1);
      const token = key >= 0 ? tokens[key] : undefined;
      const opening = tokens[key - 1]?.value;
      if (token?.type === AST_TOKEN_TYPES.String && token.value.length === method.length + 2 && (opening === '[' || opening === '(')) return true;
    }
  }
  return false;
}

/**
 * True when the word at `at` (of `length` characters) is not part of a longer ASCII name. A
 * non-ASCII neighbour may belong to a name: it answers true and lets the token decide.
 */
function isWordAt(text: string, at: number, length: number): boolean {
  return !isAsciiNameCode(text.charCodeAt(at - 1)) && !isAsciiNameCode(text.charCodeAt(at + length));
}

function isAsciiNameCode(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 36 || // $
    code === 95 // _
  );
}

/** The index of the token whose range starts at `offset`, or -1 (comments and strings hold none). */
function tokenStartingAt(tokens: readonly TSESTree.Token[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const start = (tokens[middle] as TSESTree.Token).range[0];
    if (start === offset) return middle;
    if (start < offset) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
