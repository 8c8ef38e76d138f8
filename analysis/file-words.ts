import type { TSESLint } from '@typescript-eslint/utils';

/**
 * The words of a file's text that the rules' pre-checks ask about, found by one scan of the
 * text per file and shared by every rule (cached per Program, like the call graph): a file
 * that says none of them is skipped by all of them for the cost of a single pass, where each
 * rule used to scan the text on its own.
 *
 * Only the words: whether a `using` is a declaration, or a lock method is called, is the
 * pre-checks' own (cheap) question about the places listed here.
 */
export interface FileWords {
  /** `DisposableStack` (so `AsyncDisposableStack` too). */
  readonly disposableStack: boolean;
  /** `Symbol.dispose` or `Symbol.asyncDispose`, not followed by a word character. */
  readonly symbolDispose: boolean;
  /** `runExclusive` or `locks` (a Web Lock request), anywhere. */
  readonly lockCall: boolean;
  /** `Mutex` or `Semaphore`, anywhere. */
  readonly lockKind: boolean;
  /** Where the text says `using` (inside longer words and prose too). */
  readonly usingAt: readonly number[];
}

const WORDS = /DisposableStack|Symbol\.(?:dispose|asyncDispose)\b|runExclusive|locks|Mutex|Semaphore|using/g;

const cache = new WeakMap<object, FileWords>();

/** The file's words: scanned once, by whichever rule asks first. */
export function fileWords(sourceCode: Readonly<TSESLint.SourceCode>): FileWords {
  let words = cache.get(sourceCode.ast);
  if (words === undefined) {
    words = scan(sourceCode.text);
    cache.set(sourceCode.ast, words);
  }
  return words;
}

/** Every match is told apart by its first and last letters; nothing is allocated for a file that says none. */
function scan(text: string): FileWords {
  let disposableStack = false;
  let symbolDispose = false;
  let lockCall = false;
  let lockKind = false;
  let usingAt: number[] | undefined;
  WORDS.lastIndex = 0;
  while (WORDS.test(text)) {
    const end = WORDS.lastIndex;
    const start = text.charCodeAt(end - 1) === 103 /* g */ ? end - 5 : -1;
    if (start >= 0 && text.startsWith('using', start)) (usingAt ??= []).push(start);
    else {
      switch (text.charCodeAt(end - 1)) {
        case 107: // k: DisposableStack
          disposableStack = true;
          break;
        case 101: // e: Symbol.dispose, Symbol.asyncDispose, runExclusive, Semaphore
          if (text.startsWith('runExclusive', end - 12)) lockCall = true;
          else if (text.startsWith('Semaphore', end - 9)) lockKind = true;
          else symbolDispose = true;
          break;
        case 115: // s: locks
          lockCall = true;
          break;
        default: // x: Mutex
          lockKind = true;
      }
    }
  }
  return { disposableStack, symbolDispose, lockCall, lockKind, usingAt: usingAt ?? NO_OFFSETS };
}

const NO_OFFSETS: readonly number[] = Object.freeze([]);

/** True when the word `using` at `at` stands alone, as `/\busing\b/` would find it. */
export function isStandaloneWordAt(text: string, at: number, length: number): boolean {
  return !isRegExpWordCode(text.charCodeAt(at - 1)) && !isRegExpWordCode(text.charCodeAt(at + length));
}

/** `\w` of a regular expression without the `i` flag: ASCII letters, digits and `_`. */
function isRegExpWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}
