import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { lockWordsOf } from '../../analysis/held-prefilter.js';

// What the scan must find, as separate regular expressions would.
const EXPECTED = {
  runExclusive: /runExclusive/u,
  locks: /(?<![\w$])locks(?![\w$])/u,
  lockKind: /(?<![\w$])(?:Mutex|Semaphore)(?:Interface)?(?![\w$])/u,
};

const SNIPPETS = [
  'export {};',
  "import { Mutex } from 'async-mutex'; export const m = new Mutex();",
  'export const f = (s: Semaphore) => s.runExclusive(() => 1);',
  "export const f = () => navigator.locks.request('a', () => 1); // unlocks",
  '// it blocks until the clocks agree; unlocks, locksmith, $locks\nexport {};',
  "export const f = () => navigator['locks'].request('a', () => 1);",
  'export function f(d: Disposable) { using held = d; } // using, $using, using_',
  'export const focusing = 1, usingX = 2, _using = 3;',
  'export const text = `usingMutexlocks Semaphore runExclusive`;',
  'export function isSemaphore(x: unknown) { return x; } // MyMutex, Mutexes, SemaphoreX',
  "import type { MutexInterface } from 'async-mutex';",
  'export const f = (s: SemaphoreInterface) => s;',
  'export const a = [asyncMutex.Mutex, $Semaphore];',
  // Words at the very start and end of the text, and fragments of them that are not the words.
  'locks',
  'runExclusive',
  'Semaphore',
  'ks Excl Sema Mute using',
  'x.locks;Semaphor Exclusive unExclusive',
];

function check(code: string): void {
  const words = lockWordsOf(code);
  for (const [name, pattern] of Object.entries(EXPECTED)) expect(words[name as keyof typeof EXPECTED], name).toBe(pattern.test(code));
  expect(words.usingAt).toEqual([...code.matchAll(/using/gu)].map((match) => match.index));
}

describe('lockWordsOf', () => {
  it.each(SNIPPETS)('finds what separate expressions find: %s', (code) => {
    check(code);
  });

  it('finds what separate expressions find in long real text (this repository’s sources and docs)', () => {
    const files = ['rules/no-nested-reuse.ts', 'analysis/held-prefilter.ts', 'analysis/held-acquisitions.ts', 'docs/rules/no-nested-reuse.md'];
    let found = 0;
    for (const file of files) {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      check(text);
      found += Object.values(EXPECTED).filter((pattern) => pattern.test(text)).length;
    }
    expect(found).toBeGreaterThan(6);
  });
});
