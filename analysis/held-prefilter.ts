import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, AST_TOKEN_TYPES, ASTUtils } from '@typescript-eslint/utils';

import { firstStartingAtOrAfter } from './ast-children.js';
import { callWhoseCallee, unwrapExpression } from './call-graph.js';
import { isLocksObject, isPathExpression } from './held-acquisitions.js';
import { compiledPrivateAccess, InstanceResolver, memberName, pathThrough } from './instance-identity.js';
import type { KindRegistry } from './resource-kinds.js';
import { containsAny, kindRegistryFor } from './resource-kinds.js';

/**
 * True when the file may contain an acquisition the rules recognise; false lets a rule return
 * before any traversal. Text tests first; a `using` declaration is confirmed on the token list
 * (comments and prose say "using" all the time); then the calls the text names are looked at
 * (`mayHaveAcquisitionCall`).
 */
export function mayContainAcquisition(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, typed: boolean): boolean {
  if (!typed && !registry.hasUserKinds) return mayContainBuiltInAcquisition(sourceCode);
  return mayContainAcquisitionText(sourceCode, registry, typed) && (hasUsingOfExistingValue(sourceCode) || mayHaveAcquisitionCall(sourceCode, registry, registry.acquisitionCallNames));
}

function mayContainAcquisitionText(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, typed: boolean): boolean {
  const text = sourceCode.text;
  if (typed) return registry.typedCandidatePattern.test(text);
  if (!registry.untypedCandidatePattern.test(text)) return false;
  if (containsAny(text, registry.scopedCallWords)) return true;
  if (containsAny(text, registry.acquireCallWords) && containsAny(text, registry.kindNameWords)) return true;
  return hasUsingDeclaration(text, sourceCode.ast.tokens);
}

/**
 * False when no call of the file can be an acquisition, so the file has none at all (a `using`
 * declaration aside, which the caller checks): then nothing is held, no function wraps a hold,
 * and the rules have nothing to report. Most files the text test lets through are like that:
 * libraries that define `acquire()` or test `typeof navigator.locks.request`, Web Lock requests
 * whose name is not a constant.
 *
 * It looks only at the calls the text names, each found from its name's token (no traversal),
 * and asks of each what `AcquisitionRecognizer` asks before it needs the call graph or the
 * instance kinds: a `request` of `navigator.locks` with a name that may be constant; another
 * method whose object is a stable path (`lock`, `this.lock`, `a.b.lock`). Anything it cannot
 * settle so counts as a possible acquisition. In TypeScript's down-levelled classes `this`
 * resolves through the call graph: there every named call counts.
 */
export function mayHaveAcquisitionCall(sourceCode: Readonly<TSESLint.SourceCode>, registry: KindRegistry, methods: readonly string[]): boolean {
  const text = sourceCode.text;
  const tokens = sourceCode.ast.tokens;
  // Asked only once a call is found: most files the text test lets through have none.
  let compiledClasses: boolean | undefined;
  let resolver: InstanceResolver | undefined;
  // A kind of the `kinds` option may have a `request` method of its own.
  const requestMethodIsAcquisition = registry.acquisitionMethodNames.includes('request');
  for (const method of methods) {
    for (let at = text.indexOf(method); at >= 0; at = text.indexOf(method, at + method.length)) {
      if (!isWordAt(text, at, method.length)) continue;
      const index = memberNameTokenAt(tokens, at, method);
      if (index < 0) continue;
      // `request` of `locks`: `navigator.locks.request`, `(navigator.locks as L).request`, `navigator.locks!.request`.
      if (method === 'request' && !requestMethodIsAcquisition) {
        const object = tokens[index - 2]?.value;
        if (object !== 'locks' && object !== ')' && object !== ']' && object !== '!') continue;
      }
      const member = nodeAt(sourceCode, (tokens[index] as TSESTree.Token).range[0]).parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || memberName(member) !== method) continue;
      const call = callWhoseCallee(member);
      if (call === undefined) continue;
      if ((compiledClasses ??= text.includes('classPrivateFieldGet'))) return true;
      if (method === 'request') {
        if (isLocksObject(member.object)) {
          if (mayBeConstantName(sourceCode, call.arguments[0], () => (resolver ??= new InstanceResolver(sourceCode)))) return true;
          continue; // `AcquisitionRecognizer` asks nothing else of a Web Lock request.
        }
        if (!requestMethodIsAcquisition) continue;
      }
      resolver ??= new InstanceResolver(sourceCode);
      if (isStablePath(member.object, resolver)) return true;
    }
  }
  return false;
}

/**
 * A name `#constantLockName` may read as a constant: a string, a `const` of one (a name declared
 * once, `const`, with such an initialiser; not a parameter or a `let`), or a template whose parts
 * are such names or stable paths (`lock-${this.id}`; not `${Date.now()}`).
 */
function mayBeConstantName(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node | undefined, resolver: () => InstanceResolver, depth = 0): boolean {
  if (node === undefined || depth > 5) return false;
  if (node.type === AST_NODE_TYPES.Literal) return typeof node.value === 'string';
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = ASTUtils.findVariable(sourceCode.getScope(node), node);
    const definition = variable?.defs[0];
    return (
      variable?.defs.length === 1 &&
      definition?.type === 'Variable' &&
      definition.parent.kind === 'const' &&
      mayBeConstantName(sourceCode, definition.node.init ?? undefined, resolver, depth + 1)
    );
  }
  if (node.type !== AST_NODE_TYPES.TemplateLiteral) return false;
  return node.expressions.every(
    (part) =>
      (part.type === AST_NODE_TYPES.Literal || part.type === AST_NODE_TYPES.TemplateLiteral ? mayBeConstantName(sourceCode, part, resolver, depth + 1) : false) ||
      isStablePath(part, resolver()),
  );
}

/**
 * True when `InstanceResolver.resolveKey` answers for the expression: a name (a variable, an
 * alias or a global: always), `this` where it denotes an instance, static members of those.
 * Names are not looked up, so no identifier index is built.
 */
function isStablePath(start: TSESTree.Node, resolver: InstanceResolver): boolean {
  let node = start;
  for (;;) {
    const wrapped = pathThrough(node);
    if (wrapped !== undefined) {
      node = wrapped;
      continue;
    }
    switch (node.type) {
      case AST_NODE_TYPES.MemberExpression:
        if (memberName(node) === undefined) return false;
        node = node.object;
        continue;
      case AST_NODE_TYPES.CallExpression: {
        const field = compiledPrivateAccess(node);
        if (field?.kind !== 'f') return false;
        node = field.receiver;
        continue;
      }
      case AST_NODE_TYPES.Identifier:
        return true;
      case AST_NODE_TYPES.ThisExpression:
        return resolver.resolveKey(node) !== undefined;
      default:
        return false;
    }
  }
}

/**
 * The innermost node whose range holds `offset`, found by descending from the Program (a child
 * list is searched by halves: its nodes are in source order).
 */
function nodeAt(sourceCode: Readonly<TSESLint.SourceCode>, offset: number): TSESTree.Node {
  let node: TSESTree.Node = sourceCode.ast;
  descend: for (;;) {
    const record = node as unknown as Record<string, unknown>;
    for (const key of sourceCode.visitorKeys[node.type] ?? []) {
      const child = record[key];
      if (Array.isArray(child)) {
        const item = itemHolding(child, offset);
        if (item !== undefined) {
          node = item;
          continue descend;
        }
      } else if (containsOffset(child, offset)) {
        node = child as TSESTree.Node;
        continue descend;
      }
    }
    return node;
  }
}

/** The node of a source-ordered list whose range holds `offset` (holes and non-nodes skipped). */
function itemHolding(items: readonly unknown[], offset: number): TSESTree.Node | undefined {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const item = items[middle];
    const range = (item as { range?: readonly [number, number] } | null)?.range;
    // A hole (`[, a]`) has no range: fall back to a scan of the list.
    if (range === undefined) return items.find((candidate) => containsOffset(candidate, offset)) as TSESTree.Node | undefined;
    if (offset < range[0]) high = middle - 1;
    else if (offset >= range[1]) low = middle + 1;
    else return containsOffset(item, offset) ? (item as TSESTree.Node) : undefined;
  }
  return undefined;
}

function containsOffset(value: unknown, offset: number): boolean {
  if (typeof value !== 'object' || value === null || typeof (value as { type?: unknown }).type !== 'string') return false;
  const range = (value as { range?: readonly [number, number] }).range;
  return range !== undefined && range[0] <= offset && offset < range[1];
}

/**
 * The same test for the built-in kinds, on the words of one scan of the text (`lockWordsOf`):
 * `runExclusive`, the word `locks` (a Web Lock request, however `navigator.locks` is spelled),
 * `acquire` / `waitForUnlock` in a file that says `Mutex` or `Semaphore`, or a `using`
 * declaration, confirmed on the token list where the text says "using" (prose says it often).
 * Whether the words are calls is `mayHaveAcquisitionCall`'s question, asked for those names only.
 */
function mayContainBuiltInAcquisition(sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const words = lockWordsOf(sourceCode.text);
  const text = sourceCode.text;
  // Without types, `acquire()` / `waitForUnlock()` acquire only a Mutex or Semaphore the file names.
  const acquireCalls = words.lockKind && (text.includes('acquire') || text.includes('waitForUnlock'));
  if (!words.runExclusive && !words.locks && !acquireCalls && words.usingAt.length === 0) return false;
  for (const at of words.usingAt) if (isUsingOfExistingValueAt(sourceCode, at)) return true;
  const names: string[] = [];
  if (words.runExclusive) names.push('runExclusive');
  if (acquireCalls) names.push('acquire', 'waitForUnlock');
  if (words.locks) names.push('request');
  return names.length > 0 && mayHaveAcquisitionCall(sourceCode, BUILT_IN_REGISTRY, names);
}

const BUILT_IN_REGISTRY = kindRegistryFor([]);

/**
 * `using x =`, `using x: T =`, `await using x =`, `for (using x of …)`: a `using` token followed
 * by a name and `=`, a type annotation's `:` or `of`. Only the places where the text says
 * "using" are looked up in the token list (by binary search), so prose costs a few lookups and
 * nothing is allocated.
 */
export function hasUsingDeclaration(text: string, tokens: readonly TSESTree.Token[]): boolean {
  for (let at = text.indexOf('using'); at >= 0; at = text.indexOf('using', at + 5)) {
    if (isUsingDeclarationAt(tokens, at)) return true;
  }
  return false;
}

/**
 * `using held = stack`, `await using s = this.stack`: a `using` declaration that binds an
 * existing value, a path. Only such a declaration can bind an instance that something else holds
 * (`nestedUsing`, `usingInLoop`, a callee's `using` of its parameter). A `using` of a fresh value
 * (`using s = new DisposableStack()`, `using r = open()`, `for (using x of xs)`) binds a variable
 * of its own, a new instance on every run: it may hold, but what takes that instance again is a
 * `using` of its name (a path, found here) or a lock call (`mayHaveAcquisitionCall`).
 */
export function hasUsingOfExistingValue(sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  const text = sourceCode.text;
  for (let at = text.indexOf('using'); at >= 0; at = text.indexOf('using', at + 5)) {
    if (isUsingOfExistingValueAt(sourceCode, at)) return true;
  }
  return false;
}

/** True when the text's "using" at `at` starts a declaration that binds a path (or whose node is not found). */
function isUsingOfExistingValueAt(sourceCode: Readonly<TSESLint.SourceCode>, at: number): boolean {
  if (!isUsingDeclarationAt(sourceCode.ast.tokens, at)) return false;
  const declaration = nodeAt(sourceCode, at);
  if (declaration.type !== AST_NODE_TYPES.VariableDeclaration) return true;
  return declaration.declarations.some((declarator) => declarator.init !== null && isPathExpression(unwrapExpression(declarator.init)));
}

/** True when the text's "using" at `at` is the `using` token of a declaration. */
function isUsingDeclarationAt(tokens: readonly TSESTree.Token[], at: number): boolean {
  const index = tokenStartingAt(tokens, at);
  if (index < 0 || tokens[index]?.value !== 'using') return false;
  const name = tokens[index + 1];
  const after = tokens[index + 2];
  return name?.type === AST_TOKEN_TYPES.Identifier && (after?.value === '=' || after?.value === ':' || after?.value === 'of');
}

/**
 * True when some member call may name one of `methods`: `x.use(…)`, `x?.defer(…)`, `x['move'](…)`
 * (comments between the dot and the name included). A property token must follow `.` / `?.`,
 * a string key must follow `[` (or a parenthesis inside one); the text is searched first, tokens only where it matches.
 */
export function mayCallMethodNamed(text: string, tokens: readonly TSESTree.Token[], methods: Iterable<string>): boolean {
  for (const method of methods) {
    for (let at = text.indexOf(method); at >= 0; at = text.indexOf(method, at + method.length)) {
      if (isWordAt(text, at, method.length) && memberNameTokenAt(tokens, at, method) >= 0) return true;
    }
  }
  return false;
}

/**
 * The index of the token that names member `method` where the text says it at `at`: a property
 * after `.` / `?.` (comments between them included), or a string key after `[` (or a
 * parenthesis inside one: `x[('use')]`), whose token starts at the quote; -1 for anything else.
 */
function memberNameTokenAt(tokens: readonly TSESTree.Token[], at: number, method: string): number {
  const property = tokenStartingAt(tokens, at);
  if (property >= 0) {
    const token = tokens[property];
    const before = tokens[property - 1]?.value;
    return token?.type === AST_TOKEN_TYPES.Identifier && token.value === method && (before === '.' || before === '?.') ? property : -1;
  }
  const key = tokenStartingAt(tokens, at - 1);
  const token = key >= 0 ? tokens[key] : undefined;
  const opening = tokens[key - 1]?.value;
  return token?.type === AST_TOKEN_TYPES.String && token.value.length === method.length + 2 && (opening === '[' || opening === '(') ? key : -1;
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
  const index = firstStartingAtOrAfter(tokens, offset);
  return tokens[index]?.range[0] === offset ? index : -1;
}

/** What `lockWordsOf` finds. */
export interface LockWords {
  /** `runExclusive` anywhere. */
  readonly runExclusive: boolean;
  /** The word `locks` (a Web Lock request: `navigator.locks`). */
  readonly locks: boolean;
  /**
   * The name of an async-mutex kind as a word: `Mutex`, `Semaphore` or their interfaces
   * (`MutexInterface`), how `new Mutex()` and `m: Mutex` write them; not `isSemaphore`.
   */
  readonly lockKind: boolean;
  /** Where the text says `using` (inside longer words and prose too). */
  readonly usingAt: readonly number[];
}

/**
 * The lock words of a text and where it says `using`, by native substring searches (`indexOf`)
 * for a piece of each word that starts with an uncommon letter (`Excl` of `runExclusive`, `ks`
 * of `locks`, `Sema` of `Semaphore`): the search skips ahead to that letter, and outruns a regex
 * alternation of the five words about twice on real files. Nothing is allocated for a text that
 * says none. No word overlaps another, so the occurrences are the matches of the alternation.
 */
export function lockWordsOf(text: string): LockWords {
  const runExclusive = someOccurrence(text, 'runExclusive', 3, isPresentAt);
  const locks = someOccurrence(text, 'locks', 3, isWordAt);
  const lockKind = someOccurrence(text, 'Mutex', 0, isKindNameAt) || someOccurrence(text, 'Semaphore', 0, isKindNameAt);
  let usingAt: number[] | undefined;
  for (let at = text.indexOf('using'); at >= 0; at = text.indexOf('using', at + 5)) (usingAt ??= []).push(at);
  if (!runExclusive && !locks && !lockKind && usingAt === undefined) return NO_LOCK_WORDS;
  return { runExclusive, locks, lockKind, usingAt: usingAt ?? NO_OFFSETS };
}

/**
 * True when `word` occurs in `text` somewhere `test` accepts (the word's offset and length).
 * The search looks for the word's piece from `pieceStart` on (four letters at most), then
 * compares the whole word there.
 */
function someOccurrence(text: string, word: string, pieceStart: number, test: (text: string, at: number, length: number) => boolean): boolean {
  const piece = word.slice(pieceStart, pieceStart + 4);
  for (let at = text.indexOf(piece, pieceStart); at >= 0; at = text.indexOf(piece, at + piece.length)) {
    const start = at - pieceStart;
    if (text.startsWith(word, start) && test(text, start, word.length)) return true;
  }
  return false;
}

/** `runExclusive` counts wherever the text says it, inside a longer name too (`mutex.runExclusiveAsync`). */
function isPresentAt(): boolean {
  return true;
}

/** A kind name as a word at `at`, or followed by `Interface` (`MutexInterface`). */
function isKindNameAt(text: string, at: number, length: number): boolean {
  return isWordAt(text, at, length) || (text.startsWith('Interface', at + length) && isWordAt(text, at, length + 9));
}

const NO_OFFSETS: readonly number[] = Object.freeze([]);
const NO_LOCK_WORDS: LockWords = Object.freeze({ runExclusive: false, locks: false, lockKind: false, usingAt: NO_OFFSETS });
