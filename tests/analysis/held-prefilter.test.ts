import { readFileSync } from 'node:fs';

import tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { hasUsingDeclaration, mayCallMethodNamed, mayContainAcquisition } from '../../analysis/held-prefilter.js';
import { kindRegistryFor, STACK_USE_METHODS } from '../../analysis/resource-kinds.js';
import nestedRule, { ruleWithoutPrecheck as nestedWithoutPrecheck } from '../../rules/no-nested-reuse.js';
import disposeRule, { ruleWithoutPrecheck as disposeWithoutPrecheck } from '../../rules/no-use-after-dispose.js';

/** Runs `inspect` on the SourceCode of `code`, parsed as TypeScript by ESLint. */
function withSourceCode<T>(code: string, inspect: (sourceCode: Readonly<TSESLint.SourceCode>) => T): T {
  let result: T | undefined;
  const probe = {
    create(context: { sourceCode: Readonly<TSESLint.SourceCode> }) {
      result = inspect(context.sourceCode);
      return {};
    },
  };
  const messages = new Linter({ configType: 'flat' }).verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser }, plugins: { probe: { rules: { probe: probe as never } } }, rules: { 'probe/probe': 'error' } }],
    'file.ts',
  );
  expect(messages).toEqual([]);
  return result as T;
}

const usingDeclared = (code: string): boolean => withSourceCode(code, (sourceCode) => hasUsingDeclaration(sourceCode.text, sourceCode.ast.tokens));
const callsUseMethod = (code: string): boolean => withSourceCode(code, (sourceCode) => mayCallMethodNamed(sourceCode.text, sourceCode.ast.tokens, STACK_USE_METHODS));

describe('hasUsingDeclaration', () => {
  it.each([
    'function f(s: Disposable) { using held = s; }',
    'async function f(s: AsyncDisposable) { await using held = s; }',
    'function f(xs: Disposable[]) { for (using x of xs) void x; }',
    'function f(s: Disposable) { using /* why */ held = s; }',
    'function f(s: Disposable) {\n  using\n    held\n    = s;\n}',
    'function f(s: DisposableStack) { using held: DisposableStack = s; }',
    'async function f(s: AsyncDisposable) { await using held: AsyncDisposable = s; }',
    '// using a pool\nfunction f(s: Disposable) { using held = s; }',
  ])('finds the declaration in %s', (code) => {
    expect(usingDeclared(code)).toBe(true);
  });

  it.each([
    '// using x = 1',
    'const note = "using x = 1";',
    'const text = `using x = ${1}`;',
    'let usingX = 1; usingX = 2;',
    'let focusing = 1; focusing = 2;',
    'const using = 1; export const y = using + 1;',
    '/* for (using x of xs) */ export {};',
  ])('finds none in %s', (code) => {
    expect(usingDeclared(code)).toBe(false);
  });
});

describe('mayCallMethodNamed (stack use methods)', () => {
  it.each([
    's.use(r);',
    's?.defer(f);',
    's\n  .adopt(v, f);',
    's./* why */move();',
    "s['use'](r);",
    's?.["defer"](f);',
    "s[('move')]();",
  ])('finds the call in %s', (code) => {
    expect(callsUseMethod(code)).toBe(true);
  });

  it.each([
    "'use strict';\nuse(r);",
    '// s.use(r)',
    'const s = "x.use(r)";',
    'user.used(1); s.reuse(); s.moved();',
    'declare const use: string; s[use](r);',
    "const o = { 'use': 1 };",
  ])('finds none in %s', (code) => {
    expect(callsUseMethod(code)).toBe(false);
  });
});

describe('mayContainAcquisition (built-in kinds, without types)', () => {
  const accepts = (code: string): boolean => withSourceCode(code, (sourceCode) => mayContainAcquisition(sourceCode, kindRegistryFor([]), false));

  it.each([
    'export const f = (m: { runExclusive(cb: () => void): void }) => m.runExclusive(() => {});',
    "navigator.locks.request('a', () => {});",
    "import { Mutex } from 'async-mutex'; export const f = (m: Mutex) => m.acquire();",
    "import { Semaphore } from 'async-mutex'; export const f = (s: Semaphore) => s.waitForUnlock();",
    '// runExclusive is mentioned, a Mutex too\nexport function f(s: Disposable) { using held = s; }',
    "export const f = (m: { acquire(): void }) => m.acquire(); // Semaphore",
    "import { Mutex } from 'async-mutex'; export class A { l = new Mutex(); f() { return this.l.runExclusive(() => 1); } }",
    "import { Mutex } from 'async-mutex'; export const f = (m: Mutex) => (m.acquire as () => Promise<() => void>)();",
    "export const f = (m: { runExclusive(cb: () => void): void }) => m?.['runExclusive'](() => {});",
    'export const f = async (m: { runExclusive?: (cb: () => void) => void }) => (await m.runExclusive)!(() => {});',
    "const name = 'a';\nexport const f = () => (navigator.locks as LockManager).request(name, () => {});",
    "const base = 'db';\nconst name = `${base}-lock`;\nexport const f = () => navigator.locks.request(name, () => {});",
    'export const f = () => navigator.locks!.request(`a`, () => {});',
    'export class A { id = 1; f() { return navigator.locks\n  .request(`lock-${this.id}`, () => {}); } }',
    "// Mutex.prototype.acquire\nexport function f(s: Disposable) { using held = s; }",
    'export class A { stack = new DisposableStack(); f() { using held = this.stack; } }',
    'export async function f(s: unknown) { await using held = s as AsyncDisposable; }',
    'export function f() { using a = new DisposableStack(), b = a; }',
    'export function f(xs: Disposable[], s: Disposable) { for (using x of xs) { using again = s; } }',
    "import type { MutexInterface } from 'async-mutex'; export const f = (m: MutexInterface) => m.acquire();",
  ])('accepts %s', (code) => {
    expect(accepts(code)).toBe(true);
  });

  it.each([
    'export const runExclusive = 1;',
    "import { Mutex } from 'async-mutex'; export const m = new Mutex();",
    'export function acquire() { return 1; } // Semaphore, acquire',
    '// using x = 1; Mutex\nexport const y = 2;',
    "export const supported = typeof navigator.locks.request === 'function'; // runExclusive",
    'export const f = (o: { name: string }) => navigator.locks.request(o.name, () => {});',
    'export const f = (o: { name: string }) => navigator.locks\n  .request(`${o.name}-${Date.now()}`, () => {});',
    "import { Semaphore } from 'async-mutex';\nexport function Mutex(this: { s: Semaphore }) { this.s = new Semaphore(1); }\nMutex.prototype.acquire = function () { return this.s.acquire(); };",
    "import { Mutex } from 'async-mutex'; export const m = new Mutex(); export const acquire = m.acquire; // no call",
    "import { Mutex } from 'async-mutex'; export const f = () => new Mutex().runExclusive(() => 1);",
    'export function f(n: number) { using s = new DisposableStack(); s.defer(() => {}); if (n > 0) f(n - 1); }',
    'export async function f(open: () => Promise<AsyncDisposable>) { await using r = await open(); }',
    'export function f(xs: Disposable[]) { for (using x of xs) void x; }',
    'const isSemaphore = (s: { release?: unknown }) => s.release !== undefined;\nexport const f = (sync: { acquire(): void }) => (isSemaphore(sync) ? sync.acquire() : sync.acquire());',
    'export const f = (name: string) => (navigator.locks as LockManager).request(name, () => {});',
    "let name = 'a';\nexport const f = () => navigator.locks.request(name, () => {});",
    'const name = makeName();\nexport const f = () => navigator.locks.request(name, () => {});',
    'export const f = (names: string[]) => { for (const name of names) void navigator.locks.request(name, () => {}); };',
  ])('rejects %s', (code) => {
    expect(accepts(code)).toBe(false);
  });
});

describe('mayContainAcquisition (a kind of the `kinds` option)', () => {
  const registry = kindRegistryFor([{ name: 'Pool', acquireMethods: ['request'], releaseMethods: ['give'] }]);
  const accepts = (code: string): boolean => withSourceCode(code, (sourceCode) => mayContainAcquisition(sourceCode, registry, false));

  it('accepts a call of its own acquire method, even one named like the Web Lock request', () => {
    expect(accepts('export const f = (pool: Pool) => pool.request();')).toBe(true);
    expect(accepts("export const f = (pool: Pool) => pool['request']();")).toBe(true);
  });

  it('rejects its release method and a Web Lock request whose name is not a constant', () => {
    expect(accepts('export const f = (pool: Pool) => pool.give();')).toBe(false);
    expect(accepts('export const f = (o: { name: string }) => navigator.locks.request(o.name, () => {}); // Pool')).toBe(false);
  });
});

// ------------------------------------------------------------------------------------------------
// The pre-checks never drop a report: on every doc example of both rules and on snippets that
// stress the text tests, the rules with and without their pre-check report the same, and a file
// with a report always passes the pre-check.

function docExamples(rule: string): string[] {
  const markdown = readFileSync(new URL(`../../docs/rules/${rule}.md`, import.meta.url), 'utf8');
  return [...markdown.matchAll(/^```\w+ ctx-(?:valid|invalid)\n([\s\S]*?)^```$/gmu)].map((match) => match[1] ?? '');
}

const STRESS_SNIPPETS = [
  `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f() { await m.runExclusive(async () => { await m.runExclusive(() => 1); }); }`,
  `// using is mentioned here, and so is the Mutex
import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f() { const release = await m.acquire(); await m.acquire(); release(); }`,
  `export function f(stack: DisposableStack) { { using a = stack; { using /* again */ b = stack; } } }`,
  `export function f(stack: DisposableStack) { { using a: DisposableStack = stack; { using b: DisposableStack = stack; } } }`,
  `export function f() { const s = new DisposableStack(); for (const x of [1, 2]) { using held = s; void x; } }`,
  `export function f() { using s = new DisposableStack(); { using again = s; } }`,
  `export function f(n: number) { using s = new DisposableStack(); if (n > 0) f(n - 1); }`,
  `const base = 'db';
const name = base;
export async function f() { await navigator.locks.request(name, async () => { await navigator.locks.request(\`db\`, async () => 1); }); }`,
  `import { Mutex } from 'async-mutex';
export class A { m = new Mutex(); async f() { await (this.m.runExclusive satisfies Mutex['runExclusive'])(async () => { await (<Mutex['runExclusive']>this.m.runExclusive)(async () => 1); }); } }`,
  `import type { MutexInterface } from 'async-mutex';
export async function f(m: MutexInterface) { const release = await m.acquire(); await m.acquire(); release(); }`,
  `function g(s: DisposableStack) { using mine = s; }
export function f() { using s = new DisposableStack(); g(s); s.defer(() => {}); }`,
  `const stack = new DisposableStack(); stack.dispose(); stack['use'](resource);`,
  `const stack = new AsyncDisposableStack(); await stack.disposeAsync(); stack?.defer(() => {});`,
  `const stack = new DisposableStack(); stack.dispose(); stack\n  ./* still a use */adopt(1, () => {});`,
  `function f() { const s = new DisposableStack(); { using held = s; } s.move(); }`,
  `'use strict';\nconst stack = new DisposableStack(); stack.dispose(); stack.use(resource);`,
  `export async function f() { await navigator.locks.request('a', async () => { await navigator.locks.request('a', async () => 1); }); }`,
  `const name = 'a';
export async function f() { await (navigator.locks as LockManager).request(name, async () => { await navigator.locks!.request(name, async () => 1); }); }`,
  `import { Mutex } from 'async-mutex';
export class A { m = new Mutex(); async f() { await this.m?.['runExclusive'](async () => { await (this.m.runExclusive as Mutex['runExclusive'])(async () => 1); }); } }`,
];

type Rule = typeof nestedRule;

function reports(code: string, rule: Rule): string[] {
  return new Linter({ configType: 'flat' })
    .verify(
      code,
      [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser }, plugins: { ctx: { rules: { rule: rule as never } } }, rules: { 'ctx/rule': 'error' } }],
      'file.ts',
    )
    .map((message) => `${message.line}:${message.column} ${message.messageId ?? message.message}`);
}

describe.each([
  { name: 'no-nested-reuse', filtered: nestedRule, unfiltered: nestedWithoutPrecheck, precheck: (sourceCode: Readonly<TSESLint.SourceCode>) => mayContainAcquisition(sourceCode, kindRegistryFor([]), false) },
  {
    name: 'no-use-after-dispose',
    filtered: disposeRule as unknown as Rule,
    unfiltered: disposeWithoutPrecheck as unknown as Rule,
    precheck: (sourceCode: Readonly<TSESLint.SourceCode>) => /DisposableStack/u.test(sourceCode.text) && mayCallMethodNamed(sourceCode.text, sourceCode.ast.tokens, STACK_USE_METHODS),
  },
])('$name pre-check', ({ name, filtered, unfiltered, precheck }) => {
  const snippets = [...docExamples(name), ...STRESS_SNIPPETS];

  it('has examples that report, so the comparison below can fail', () => {
    expect(snippets.filter((code) => reports(code, unfiltered).length > 0).length).toBeGreaterThan(3);
  });

  it.each(snippets.map((code, index) => [index, code]))('drops no report (snippet %i)', (_index, code) => {
    const expected = reports(code, unfiltered);
    expect(reports(code, filtered)).toEqual(expected);
    if (expected.length > 0) expect(withSourceCode(code, precheck)).toBe(true);
  });
});
