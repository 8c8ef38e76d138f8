/**
 * With type information any created value whose type has `[Symbol.dispose]` /
 * `[Symbol.asyncDispose]` counts (a Node FileHandle, a test framework's spy); without it the
 * same code is quiet, as only stacks and the file's own classes are known.
 */
import { fileURLToPath } from 'node:url';

import { RuleTester } from '@typescript-eslint/rule-tester';

import rule from '../../../rules/no-floating-disposable.js';

const tsconfigRootDir = fileURLToPath(new URL('../../fixtures/typed', import.meta.url));

const typedTester = new RuleTester({
  languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir } },
});
const untypedTester = new RuleTester();

// The shapes of node:fs/promises' FileHandle and of a vitest spy, declared in the case itself.
const declarations = `interface FileHandle { read(): Promise<string>; close(): Promise<void>; [Symbol.asyncDispose](): Promise<void> }
declare function open(path: string): Promise<FileHandle>;
interface Spy { (): void; mockReturnValue(value: unknown): this; mockRestore(): void; [Symbol.dispose](): void }
declare const vi: { spyOn(target: object, method: string): Spy };
`;

const leakedHandle = `${declarations}export async function read() {
  const handle = await open('a.txt');
  return handle.read();
}`;
const leakedSpy = `${declarations}export function spy(target: object) {
  const log = vi.spyOn(target, 'log');
  log();
}`;

typedTester.run('no-floating-disposable (typed)', rule, {
  valid: [
    {
      filename: 'file.ts',
      code: `${declarations}export async function read() {
  await using handle = await open('a.txt');
  return handle.read();
}`,
      name: 'a FileHandle bound with await using',
    },
    {
      filename: 'file.ts',
      code: `${declarations}export async function read() {
  const handle = await open('a.txt');
  try {
    return await handle.read();
  } finally {
    await handle.close();
  }
}`,
      name: 'a FileHandle closed in finally',
    },
    {
      filename: 'file.ts',
      code: `${declarations}export function spy(target: object) {
  vi.spyOn(target, 'log').mockReturnValue(1);
}`,
      name: 'a method declared to return this gives back its receiver, not a new value',
    },
    { filename: 'file.ts', code: `${declarations}export function f() { const n = Math.max(1, 2); const p = open('a.txt'); return [n, p]; }`, name: 'values without dispose members' },
    { filename: 'file.ts', code: 'export function f(outer: DisposableStack) { const kept = outer.use(openStack()); return kept; }', name: 'use() returns the value its stack now owns' },
  ],
  invalid: [
    {
      filename: 'file.ts',
      code: leakedHandle,
      errors: [
        {
          messageId: 'floating',
          line: 6,
          data: { name: 'handle', what: 'a `FileHandle`' },
          suggestions: [{ messageId: 'useAwaitUsing', output: leakedHandle.replace('const handle', 'await using handle') }],
        },
      ],
      name: 'a FileHandle that is never closed: await using (async-only)',
    },
    {
      filename: 'file.ts',
      code: leakedSpy,
      errors: [{ messageId: 'floating', line: 6, data: { name: 'log', what: 'a `Spy`' }, suggestions: [{ messageId: 'useUsing', output: leakedSpy.replace('const log', 'using log') }] }],
      name: 'a spy that is never restored',
    },
    {
      filename: 'file.ts',
      code: 'openStack();',
      errors: [{ messageId: 'discarded', data: { what: 'a `DisposableStack`', where: '' } }],
      name: 'a stack from a declared factory, dropped',
    },
  ],
});

untypedTester.run('no-floating-disposable (same code without types)', rule, {
  valid: [
    { filename: 'file.ts', code: leakedHandle, name: 'FileHandle unknown without types' },
    { filename: 'file.ts', code: leakedSpy, name: 'spy unknown without types' },
    { filename: 'file.ts', code: 'openStack();', name: 'a factory unknown without types' },
  ],
  invalid: [],
});
