import tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { mayPassTargetsToCalls, mayRebindBuiltInTargets } from '../../analysis/global-output-prefilter.js';

/** Runs `inspect` on the scope manager of `code`, parsed as TypeScript by ESLint. */
function withScopeManager<T>(code: string, inspect: (scopeManager: TSESLint.Scope.ScopeManager | null) => T): T {
  let result: T | undefined;
  const probe = {
    create(context: { sourceCode: { scopeManager: TSESLint.Scope.ScopeManager | null } }) {
      return {
        'Program:exit'() {
          result = inspect(context.sourceCode.scopeManager);
        },
      };
    },
  };
  const messages = new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser },
        plugins: { probe: { rules: { probe: probe as never } } },
        rules: { 'probe/probe': 'error' },
      },
    ],
    'file.ts',
  );
  expect(messages).toEqual([]);
  return result as T;
}

describe('mayPassTargetsToCalls', () => {
  it.each([
    ['a stream handed to a function of the file', 'function hook(s) { s.write = f; }\nhook(process.stdout);'],
    ['an alias handed on', 'const out = process.stdout;\nconst run = (s) => s;\nrun(out);'],
    ['the console through the global object', 'class C { constructor(c) { this.c = c; } }\nnew C(globalThis.console);'],
    ['a method call on this', 'class C { a() { this.b(console); } b(c) { c.log = f; } }'],
    ['a value the scan does not follow (a field)', 'class C { out = process.stderr; }'],
    ['an import of node:process', "import { stdout } from 'node:process';\nexport const x = 1;"],
  ])('true for %s', (_name, code) => {
    expect(withScopeManager(code, mayPassTargetsToCalls)).toBe(true);
  });

  it.each([
    ['calls and member reads only', 'console.log(process.env.HOME);\nprocess.stdout.write("x");'],
    [
      'targets handed to globals and to their own methods',
      "const d = Object.getOwnPropertyDescriptor(process.stdout, 'write');\nconst w = process.stdout.write.bind(process.stdout);\nvi.spyOn(console, 'log');",
    ],
    ['a target handed to an imported function', "import { render } from './render.js';\nrender(process.stdout);"],
    ['the global object used for other members', 'const w = window as any;\nw.ethereum.request();\nnew globalThis.BroadcastChannel("x");'],
  ])('false for %s', (_name, code) => {
    expect(withScopeManager(code, mayPassTargetsToCalls)).toBe(false);
  });

  it('is finer than the rebinding prefilter: a file may rebind a target and pass none', () => {
    const code = 'const w = process.stdout.write;\nprocess.stdout.write = () => true;\nprocess.stdout.write = w;';
    expect(withScopeManager(code, mayRebindBuiltInTargets)).toBe(true);
    expect(withScopeManager(code, mayPassTargetsToCalls)).toBe(false);
  });
});
