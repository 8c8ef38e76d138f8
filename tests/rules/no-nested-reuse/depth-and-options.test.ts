import tsParser from '@typescript-eslint/parser';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../../index.js';
import { analysisBuildCount } from '../../../analysis/held-sections.js';
import rule, { DEFAULT_MAX_CALL_DEPTH } from '../../../rules/no-nested-reuse.js';

const ruleTester = new RuleTester();

/** `entry` holds the lock and calls f1 → f2 → … → f<depth>, which acquires it. */
function chainOfDepth(depth: number): string {
  const functions = Array.from({ length: depth }, (_, index) => {
    const n = index + 1;
    const body = n === depth ? 'return lock.runExclusive(() => 1);' : `return f${n + 1}();`;
    return `async function f${n}(): Promise<number> { ${body} }`;
  });
  return `import { Mutex } from 'async-mutex';
const lock = new Mutex();
${functions.join('\n')}
export async function entry() { await lock.runExclusive(() => f1()); }`;
}

const chainText = (depth: number): string =>
  ['entry', ...Array.from({ length: depth }, (_, index) => `f${index + 1}`)].map((name) => `\`${name}\``).join(' → ');

ruleTester.run('no-nested-reuse call depth', rule, {
  valid: [
    { code: chainOfDepth(DEFAULT_MAX_CALL_DEPTH + 1), name: 'one past the default depth' },
    { code: chainOfDepth(4), options: [{ maxCallDepth: 3 }], name: 'one past maxCallDepth 3' },
  ],
  invalid: [
    {
      code: chainOfDepth(DEFAULT_MAX_CALL_DEPTH),
      errors: [{ messageId: 'nestedLockViaCall', data: { chain: chainText(DEFAULT_MAX_CALL_DEPTH), instance: 'lock', holder: 'entry', line: DEFAULT_MAX_CALL_DEPTH + 3 } }],
      name: 'at the default depth',
    },
    {
      code: chainOfDepth(3),
      options: [{ maxCallDepth: 3 }],
      errors: [{ messageId: 'nestedLockViaCall', data: { chain: chainText(3), instance: 'lock', holder: 'entry', line: 6 } }],
      name: 'at maxCallDepth 3',
    },
  ],
});

function lint(code: string, rules: Linter.RulesRecord, filename = 'file.ts'): { messages: Linter.LintMessage[]; linter: Linter } {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts', '**/*.js'], languageOptions: { parser: tsParser as Linter.Parser }, plugins: { ctx: plugin }, rules }],
    filename,
  );
  return { messages, linter };
}

describe('with ESLint\'s default parser (espree) on plain JavaScript', () => {
  it('reports the same problems without @typescript-eslint/parser', () => {
    const linter = new Linter({ configType: 'flat' });
    const code = `import { Mutex } from 'async-mutex';
const lock = new Mutex();
async function audit() { await lock.runExclusive(() => 1); }
export async function deposit() { await lock.runExclusive(() => audit()); }
export function keep() {
  const stack = new DisposableStack();
  stack.dispose();
  stack.use(resource);
}`;
    const messages = linter.verify(
      code,
      [{ files: ['**/*.js'], plugins: { ctx: plugin }, rules: { 'ctx/no-nested-reuse': 'error', 'ctx/no-use-after-dispose': 'error' } }],
      'file.js',
    );
    expect(messages.map((message) => `${message.line}:${message.messageId}`)).toEqual(['4:nestedLockViaCall', '8:useAfterDispose']);
  });
});

describe('option schemas', () => {
  const invalidNested: unknown[] = [
    { maxCallDepth: 0 },
    { maxCallDepth: 2.5 },
    { kinds: [{ scopedMethods: ['run'] }] },
    { kinds: [{ name: 'Pool', reentrant: 'yes' }] },
    { kinds: [{ name: 'Pool', extra: true }] },
    { kinds: [{ name: '' }] },
    { unknown: true },
  ];
  it.each(invalidNested.map((option) => [JSON.stringify(option), option]))('no-nested-reuse rejects %s', (_label, option) => {
    expect(() => lint('x', { 'ctx/no-nested-reuse': ['error', option] as Linter.RuleEntry })).toThrow(/no-nested-reuse/);
  });

  it.each([[{ reportOnSomePaths: 'yes' }], [{ kinds: [] }]])('no-use-after-dispose rejects %j', (option) => {
    expect(() => lint('x', { 'ctx/no-use-after-dispose': ['error', option] as Linter.RuleEntry })).toThrow(/no-use-after-dispose/);
  });

  it('accepts the documented shapes', () => {
    const { messages } = lint('const m = 1;', {
      'ctx/no-nested-reuse': ['error', { kinds: [{ name: 'Pool', scopedMethods: ['with'], acquireMethods: ['get'], releaseMethods: ['put'], reentrant: false }], maxCallDepth: 4 }],
      'ctx/no-use-after-dispose': ['error', { reportOnSomePaths: true }],
    });
    expect(messages).toEqual([]);
  });
});

describe('shared per-file analysis', () => {
  const code = `import { Mutex } from 'async-mutex';
const m = new Mutex();
await m.runExclusive(() => m.runExclusive(() => 1));
const stack = new DisposableStack();
stack.dispose();
stack.use(resource);`;

  it('is built once for both rules', () => {
    const { messages, linter } = lint(code, { 'ctx/no-nested-reuse': 'error', 'ctx/no-use-after-dispose': 'error' });
    expect(messages.map((message) => message.ruleId)).toEqual(['ctx/no-nested-reuse', 'ctx/no-use-after-dispose']);
    expect(analysisBuildCount(linter.getSourceCode().ast)).toBe(1);
  });

  it('is never built for a file without candidates', () => {
    const { messages, linter } = lint('const stackOfPlates = [1, 2]; export default stackOfPlates;', {
      'ctx/no-nested-reuse': 'error',
      'ctx/no-use-after-dispose': 'error',
    });
    expect(messages).toEqual([]);
    expect(analysisBuildCount(linter.getSourceCode().ast)).toBe(0);
  });

  it('is not built when "using" and "acquire" appear only in prose', () => {
    const code = '// using a pool: acquire a connection first\nexport const note = "using acquire";';
    const { messages, linter } = lint(code, { 'ctx/no-nested-reuse': 'error', 'ctx/no-use-after-dispose': 'error' });
    expect(messages).toEqual([]);
    expect(analysisBuildCount(linter.getSourceCode().ast)).toBe(0);
  });

  it('is built for a real using declaration', () => {
    const { linter } = lint('export function f(s: Disposable) { using held = s; }', { 'ctx/no-nested-reuse': 'error' });
    expect(analysisBuildCount(linter.getSourceCode().ast)).toBe(1);
  });

  it('is built when a user kind is the only candidate', () => {
    const { messages, linter } = lint('const p = new Pool(); p.lease(() => p.lease(() => 1));', {
      'ctx/no-nested-reuse': ['error', { kinds: [{ name: 'Pool', scopedMethods: ['lease'] }] }],
    });
    expect(messages.map((message) => message.messageId)).toEqual(['nestedLock']);
    expect(analysisBuildCount(linter.getSourceCode().ast)).toBe(1);
  });
});
