import { readFileSync } from 'node:fs';

import tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { isStandaloneWordAt, lockWords, stackWords } from '../../analysis/file-words.js';

/** The words, from the file's SourceCode as a rule sees it. */
type Words = ReturnType<typeof stackWords> & ReturnType<typeof lockWords> & { standaloneUsing: boolean; sameObjectTwice: boolean };

function wordsOf(code: string): Words {
  let result: Words | undefined;
  const probe = {
    create(context: { sourceCode: Readonly<TSESLint.SourceCode> }) {
      const stack = stackWords(context.sourceCode);
      const locks = lockWords(context.sourceCode);
      result = {
        ...stack,
        ...locks,
        standaloneUsing: locks.usingAt.some((at) => isStandaloneWordAt(context.sourceCode.text, at, 5)),
        sameObjectTwice: stackWords(context.sourceCode) === stack && lockWords(context.sourceCode) === locks,
      };
      return {};
    },
  };
  new Linter({ configType: 'flat' }).verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser }, plugins: { probe: { rules: { probe: probe as never } } }, rules: { 'probe/probe': 'error' } }],
    'file.ts',
  );
  if (result === undefined) throw new Error('the probe rule did not run');
  return result;
}

// The tests the pre-checks ran on the text before they shared one scan: the scan must answer the same.
const BEFORE = {
  disposableStack: /DisposableStack/u,
  symbolDispose: /Symbol\.(?:dispose|asyncDispose)\b/u,
  lockCall: /runExclusive|\blocks\b/u,
  lockKind: /Mutex|Semaphore/u,
  standaloneUsing: /\busing\b/u,
};

const SNIPPETS = [
  'export {};',
  'const s = new AsyncDisposableStack(); // usingX',
  'class R { [Symbol.dispose]() {} }',
  'class R { [Symbol.asyncDispose]() {} } const x = Symbol.disposeLater;',
  'const o = { Symbol: { disposeX: 1 } }; export const y = o.Symbol.disposeX;',
  "import { Mutex } from 'async-mutex'; export const m = new Mutex();",
  'export const f = (s: Semaphore) => s.runExclusive(() => 1);',
  "export const f = () => navigator.locks.request('a', () => 1); // unlocks",
  '// it blocks until the clocks agree; unlocks, locksmith\nexport {};',
  'export function f(d: Disposable) { using held = d; } // using, $using, using_',
  'export const focusing = 1, usingX = 2, _using = 3;',
  'export const text = `DisposableStackusingMutexlocksSemaphoreSymbol.dispose runExclusive`;',
];

describe('stackWords and lockWords', () => {
  it.each(SNIPPETS)('answers what the text tests answered: %s', (code) => {
    const words = wordsOf(code);
    for (const [name, pattern] of Object.entries(BEFORE)) expect(words[name as keyof typeof BEFORE], name).toBe(pattern.test(code));
    expect(words.usingAt).toEqual([...code.matchAll(/using/gu)].map((match) => match.index));
    expect(words.sameObjectTwice).toBe(true);
  });

  it('answers the same as the text tests on the plugin’s own sources', () => {
    // Real text, long and varied: every rule and analysis file of this repository.
    const files = ['rules/no-nested-reuse.ts', 'rules/no-floating-disposable.ts', 'analysis/held-prefilter.ts', 'analysis/file-words.ts', 'docs/rules/no-use-after-dispose.md'];
    let words = 0;
    for (const file of files) {
      const code = `export {};\n/*\n${readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8').replaceAll('*/', '* /')}\n*/`;
      const found = wordsOf(code);
      for (const [name, pattern] of Object.entries(BEFORE)) {
        expect(found[name as keyof typeof BEFORE], `${file}: ${name}`).toBe(pattern.test(code));
        if (pattern.test(code)) words++;
      }
    }
    expect(words).toBeGreaterThan(10);
  });
});
