import tsParser from '@typescript-eslint/parser';
import { parse as parseWithTypeScript } from '@typescript-eslint/typescript-estree';
import { Linter } from 'eslint';
import type { Rule } from 'eslint';
import { describe, expect, it } from 'vitest';

import { dialectForPath, parseForCleanupAnalysis } from '../../analysis/try-finally-parse.js';
import transform, { refusalReasons, transformSource, type TransformOptions } from '../../codemods/try-finally-to-using.js';
import preferUsing from '../../rules/prefer-using.js';
import { tokenValues } from '../oracle/token-values.js';

import { loadFixturePairs } from './fixture-pairs.js';

const fixtures = loadFixturePairs<TransformOptions>('try-finally-to-using');

/** TypeScript's own parser as a second opinion that an output is valid syntax. */
function parsesWithTypeScript(code: string, file: string): void {
  parseWithTypeScript(code, { jsx: !/\.(c|m)?ts$/.test(file), filePath: file, loc: false, range: false });
}

const linter = new Linter({ configType: 'flat' });
const twinConfig = (options: TransformOptions): Linter.Config[] => [
  {
    // A universal '**/*' pattern does not make a file "matched" in flat config; list the extensions.
    files: ['**/*.{js,jsx,cjs,mjs,ts,tsx,mts,cts}'],
    plugins: { ctx: { rules: { 'prefer-using': preferUsing as unknown as Rule.RuleModule } } },
    languageOptions: {
      parser: tsParser,
      parserOptions: { ecmaFeatures: { jsx: true } },
      sourceType: 'module',
    },
    rules: { 'ctx/prefer-using': ['error', { allSites: options.allSites === true }] },
    // Fixtures carry `eslint-disable` comments for rules that are not on here.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
];

/** What the rule `ctx/prefer-using` reports on `code`, as [line, column] pairs. */
function ruleReports(code: string, file: string, options: TransformOptions): Array<[number, number]> {
  const messages = linter.verify(code, twinConfig(options), { filename: file });
  const fatal = messages.filter((message) => message.fatal);
  expect(fatal, `ESLint could not parse ${file}`).toEqual([]);
  return messages.map((message) => {
    expect(message.ruleId).toBe('ctx/prefer-using');
    expect(message.message).toContain('npx ctx-codemod try-finally-to-using');
    return [message.line, message.column - 1];
  });
}

describe('try-finally-to-using fixtures', () => {
  it('has fixtures, each either a pair or a declared no-change case', () => {
    expect(fixtures.length).toBeGreaterThan(20);
    for (const fixture of fixtures) {
      if (fixture.expected === null) {
        expect(fixture.refusals.length > 0 || fixture.name.startsWith('no-change-'), fixture.name).toBe(true);
      }
    }
  });

  it('covers every refusal reason with a fixture', () => {
    const covered = new Set(fixtures.flatMap((fixture) => fixture.refusals));
    expect([...covered].sort()).toEqual(Object.keys(refusalReasons).sort());
  });

  describe.each(fixtures)('$inputFile', (fixture) => {
    const result = transformSource(fixture.input, fixture.inputFile, fixture.options);

    it('produces exactly the expected output', () => {
      if (fixture.expected === null) {
        expect(result.changed).toBe(false);
        expect(result.output).toBe(fixture.input);
        expect(result.converted).toEqual([]);
      } else {
        expect(result.changed).toBe(true);
        expect(result.output).toBe(fixture.expected);
      }
    });

    it('reports the expected refusals, located at a try keyword', () => {
      expect(result.refused.map((refusal) => refusal.reason)).toEqual(fixture.refusals);
      const lines = fixture.input.split('\n');
      for (const site of [...result.refused, ...result.converted]) {
        expect(lines[site.line - 1]!.slice(site.column, site.column + 3)).toBe('try');
      }
      for (const refusal of result.refused) expect(refusal.message).toBe(refusalReasons[refusal.reason]);
    });

    it('emits code that parses (Babel by extension, and TypeScript)', () => {
      expect(() => parseForCleanupAnalysis(result.output, fixture.inputFile)).not.toThrow();
      expect(() => parsesWithTypeScript(result.output, fixture.inputFile)).not.toThrow();
    });

    it('is idempotent: its output is left alone', () => {
      const again = transformSource(result.output, fixture.inputFile, fixture.options);
      expect(again.output).toBe(result.output);
      expect(again.changed).toBe(false);
      expect(again.converted).toEqual([]);
      expect(again.refused.map((refusal) => refusal.reason)).toEqual(fixture.refusals);
    });

    it('agrees with its twin rule ctx/prefer-using (same sites, same places)', () => {
      const expected = result.converted.map((site): [number, number] => [site.line, site.column]);
      expect(ruleReports(fixture.input, fixture.inputFile, fixture.options)).toEqual(expected);
      expect(ruleReports(result.output, fixture.inputFile, fixture.options)).toEqual([]);
    });

    it('never changes a string, template, regexp, comment or JSX text (same multiset)', () => {
      expect(tokenValues(result.output, fixture.inputFile)).toEqual(tokenValues(fixture.input, fixture.inputFile));
    });
  });
});

describe('transformSource', () => {
  const pyramid = [
    'export function f() {',
    '  const a = open("a");',
    '  try {',
    '    a.read();',
    '  } finally {',
    '    a.close();',
    '  }',
    '}',
    '',
  ].join('\n');

  it('names the file and line:column when the source does not parse', () => {
    expect(() => transformSource('const x = ; // finally\n', 'src/broken.ts')).toThrow(/^src\/broken\.ts:1:11: cannot parse \(ts parser\)/);
  });

  it('returns a file without the word `finally` unchanged, without parsing it', () => {
    const source = 'const x = ;\n';
    expect(transformSource(source, 'src/broken.ts')).toEqual({ output: source, changed: false, converted: [], refused: [] });
  });

  it('chooses the parser from the extension', () => {
    expect(dialectForPath('a.ts')).toBe('ts');
    expect(dialectForPath('a.mts')).toBe('ts');
    expect(dialectForPath('a.cts')).toBe('ts');
    expect(dialectForPath('a.tsx')).toBe('tsx');
    expect(dialectForPath('a.js')).toBe('babel');
    expect(dialectForPath('a.jsx')).toBe('babel');
    // A TypeScript angle-bracket assertion is JSX in a .tsx file and a type in a .ts file.
    expect(() => transformSource('const n = <number>value; // finally\n', 'a.ts')).not.toThrow();
    expect(() => transformSource('const n = <number>value; // finally\n', 'a.tsx')).toThrow(/a\.tsx:/);
    expect(() => transformSource('const v = <div />; // finally\n', 'a.js')).not.toThrow();
  });

  it('parses `using` in inputs whatever the parser default', () => {
    const result = transformSource('export function f() {\n  using a = open("a");\n}\n', 'a.js');
    expect(result.changed).toBe(false);
  });

  it('names the stack `stack` unless that name is visible or used where the stack goes', () => {
    // A property named `stack` and a `stack` of another function do not matter...
    const unrelated = transformSource(`const trace = new Error().stack;\nfunction g() {\n  const stack = [];\n  return stack;\n}\n${pyramid}`, 'a.js');
    expect(unrelated.output).toContain('using stack = new DisposableStack();');
    // ...a visible `stack` (here module-level) would be shadowed.
    const visible = transformSource(`const stack = [];\n${pyramid}`, 'a.js');
    expect(visible.output).toContain('using stack1 = new DisposableStack();');
    expect(visible.output).toContain('stack1.adopt(open("a"), (a) => a.close())');
    // A global `stack` read earlier in the block would fall into the new binding's dead zone.
    const used = transformSource(pyramid.replace('  const a', '  log(stack);\n  const a'), 'a.js');
    expect(used.output).toContain('using stack1 = new DisposableStack();');
    expect(used.output).toContain('log(stack);');
  });

  it('keeps the quotes and line endings of the file', () => {
    const result = transformSource(pyramid.replaceAll('\n', '\r\n'), 'a.js');
    expect(result.output).toContain('open("a")');
    expect(result.output.split('\r\n').length).toBe(result.output.split('\n').length);
  });

  it('keeps a body declaration in its own block when it would shadow a parameter', () => {
    const source = 'function f(value) {\n  const a = open("a");\n  try {\n    const value = 1;\n  } finally {\n    a.close();\n  }\n}\n';
    const result = transformSource(source, 'a.js');
    expect(result.output).toContain('{\n    using stack = new DisposableStack();');
    expect(() => parseForCleanupAnalysis(result.output, 'a.js')).not.toThrow();
  });

  it('does not adopt a service object whose method receives the resource', () => {
    const source = 'function f(pool) {\n  const c = pool.get();\n  try {\n    c.read();\n  } finally {\n    pool.release(c);\n  }\n}\n';
    const result = transformSource(source, 'a.js');
    expect(result.output).toContain('stack.defer(() => pool.release(c));');
  });
});

describe('jscodeshift entry point', () => {
  const api = {} as Parameters<typeof transform>[1];

  it('returns the new source when something changed', () => {
    const source = 'function f() {\n  const a = open("a");\n  try {} finally {\n    a.close();\n  }\n}\n';
    expect(transform({ path: 'x.js', source }, api)).toContain('using stack = new DisposableStack();');
  });

  it('returns undefined when nothing changed', () => {
    expect(transform({ path: 'x.ts', source: 'export const x = 1;\n' }, api)).toBeUndefined();
  });
});
