import type { TSESLint } from '@typescript-eslint/utils';

/**
 * The words of a file's text that the rules' pre-checks ask about, found by one scan of the
 * text per file for each group of words and shared by every rule (cached per Program, like the
 * call graph), where each rule used to scan the text on its own:
 * - stack words (`stackWords`): `no-floating-disposable` and `no-use-after-dispose`;
 * - lock words and `using` (`lockWords`): `no-nested-reuse` and `no-using-escape`.
 * A group is scanned when a rule first asks for it, so each rule pays for the words it needs
 * and not for the others'.
 *
 * Only the words: whether a `using` is a declaration, or a lock method is called, is the
 * pre-checks' own (cheap) question about the places listed here.
 */
export interface StackWords {
  /** `DisposableStack` (so `AsyncDisposableStack` too). */
  readonly disposableStack: boolean;
  /** `Symbol.dispose` or `Symbol.asyncDispose`, not followed by a word character. */
  readonly symbolDispose: boolean;
}

export interface LockWords {
  /** `runExclusive` anywhere, or the word `locks` (a Web Lock request: `navigator.locks`). */
  readonly lockCall: boolean;
  /** `runExclusive` anywhere. */
  readonly runExclusive: boolean;
  /** The word `locks`. */
  readonly locks: boolean;
  /** `Mutex` or `Semaphore`, anywhere. */
  readonly lockKind: boolean;
  /** Where the text says `using` (inside longer words and prose too). */
  readonly usingAt: readonly number[];
}

const STACK_WORDS = /DisposableStack|Symbol\.(?:dispose|asyncDispose)\b/g;
const LOCK_WORDS = /runExclusive|locks|Mutex|Semaphore|using/g;

const stackCache = new WeakMap<object, StackWords>();
const lockCache = new WeakMap<object, LockWords>();

/** The file's stack words: scanned once, by whichever rule asks first. */
export function stackWords(sourceCode: Readonly<TSESLint.SourceCode>): StackWords {
  let words = stackCache.get(sourceCode.ast);
  if (words === undefined) {
    words = scanStackWords(sourceCode.text);
    stackCache.set(sourceCode.ast, words);
  }
  return words;
}

/** The file's lock words and `using`s: scanned once, by whichever rule asks first. */
export function lockWords(sourceCode: Readonly<TSESLint.SourceCode>): LockWords {
  let words = lockCache.get(sourceCode.ast);
  if (words === undefined) {
    words = scanLockWords(sourceCode.text);
    lockCache.set(sourceCode.ast, words);
  }
  return words;
}

function scanStackWords(text: string): StackWords {
  let disposableStack = false;
  let symbolDispose = false;
  STACK_WORDS.lastIndex = 0;
  while ((!disposableStack || !symbolDispose) && STACK_WORDS.test(text)) {
    // `DisposableStack` ends with `k`, `Symbol.dispose` and `Symbol.asyncDispose` with `e`.
    if (text.charCodeAt(STACK_WORDS.lastIndex - 1) === 107) disposableStack = true;
    else symbolDispose = true;
  }
  return disposableStack ? (symbolDispose ? BOTH_STACK_WORDS : ONLY_DISPOSABLE_STACK) : symbolDispose ? ONLY_SYMBOL_DISPOSE : NO_STACK_WORDS;
}

const BOTH_STACK_WORDS: StackWords = Object.freeze({ disposableStack: true, symbolDispose: true });
const ONLY_DISPOSABLE_STACK: StackWords = Object.freeze({ disposableStack: true, symbolDispose: false });
const ONLY_SYMBOL_DISPOSE: StackWords = Object.freeze({ disposableStack: false, symbolDispose: true });
const NO_STACK_WORDS: StackWords = Object.freeze({ disposableStack: false, symbolDispose: false });

/** Every match is told apart by its last letter; nothing is allocated for a file that says none. */
function scanLockWords(text: string): LockWords {
  let runExclusive = false;
  let locks = false;
  let lockKind = false;
  let usingAt: number[] | undefined;
  LOCK_WORDS.lastIndex = 0;
  while (LOCK_WORDS.test(text)) {
    const end = LOCK_WORDS.lastIndex;
    switch (text.charCodeAt(end - 1)) {
      case 103: // g: using
        (usingAt ??= []).push(end - 5);
        break;
      case 101: // e: runExclusive, Semaphore
        if (text.charCodeAt(end - 2) === 118) runExclusive = true; // runExclusi(v)e
        else lockKind = true;
        break;
      case 115: // s: locks (`navigator.locks`), not `blocks` or `clocks`
        if (isStandaloneWordAt(text, end - 5, 5)) locks = true;
        break;
      default: // x: Mutex
        lockKind = true;
    }
  }
  if (!runExclusive && !locks && !lockKind && usingAt === undefined) return NO_LOCK_WORDS;
  return { lockCall: runExclusive || locks, runExclusive, locks, lockKind, usingAt: usingAt ?? NO_OFFSETS };
}

const NO_OFFSETS: readonly number[] = Object.freeze([]);
const NO_LOCK_WORDS: LockWords = Object.freeze({ lockCall: false, runExclusive: false, locks: false, lockKind: false, usingAt: NO_OFFSETS });

/** True when the word at `at` (of `length` characters) stands alone, as `/\bword\b/` would find it. */
export function isStandaloneWordAt(text: string, at: number, length: number): boolean {
  return !isRegExpWordCode(text.charCodeAt(at - 1)) && !isRegExpWordCode(text.charCodeAt(at + length));
}

/** `\w` of a regular expression without the `i` flag: ASCII letters, digits and `_`. */
function isRegExpWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}
