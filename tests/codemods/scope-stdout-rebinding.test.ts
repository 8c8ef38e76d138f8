// The codemod `scope-stdout-rebinding` and its twin, the 💡 suggestions of
// `ctx/no-global-stdout-rebinding`, over every fixture: expected output and refusals,
// idempotency, output that parses, type-checks, keeps every literal and comment and lints clean
// with `configs.all`, and the shared detector (the transform changes exactly the sites the rule
// reports as fixable; applying the rule's suggestions one by one gives the transform's output).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { parse as parseWithTypeScript } from '@typescript-eslint/typescript-estree';
import type { ESLint } from 'eslint';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { main } from '../../codemods/cli/runner.js';
import { codemods } from '../../codemods/index.js';
import transform, { refusalReasons, transformSource, type TransformOptions } from '../../codemods/scope-stdout-rebinding.js';
import plugin from '../../index.js';
import { REPO_ROOT } from '../oracle/engines.js';
import { tokenValues } from '../oracle/token-values.js';

import { type FixtureCase, loadFixturePairs } from './fixture-pairs.js';
import { typeCheckVirtualFiles } from './type-check.js';

const fixtures = loadFixturePairs<TransformOptions>('scope-stdout-rebinding');
const results = new Map(fixtures.map((fixture) => [fixture.name, transformSource(fixture.input, fixture.inputFile, fixture.options)]));
const resultOf = (fixture: FixtureCase<TransformOptions>): ReturnType<typeof transformSource> => results.get(fixture.name)!;

const linter = new Linter({ configType: 'flat' });
const FILES = ['**/*.{js,jsx,cjs,mjs,ts,tsx,mts,cts}'];
const ruleConfig: Linter.Config[] = [
  {
    files: FILES,
    plugins: { ctx: plugin as unknown as ESLint.Plugin },
    languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } }, sourceType: 'module' },
    rules: { 'ctx/no-global-stdout-rebinding': 'error' },
  },
];

function ruleMessages(code: string, file: string): Linter.LintMessage[] {
  const messages = linter.verify(code, ruleConfig, { filename: file });
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return messages;
}

const suggestionIdOf = (options: TransformOptions): string => (options.style === 'using' ? 'scopeWithStack' : 'scopeWithFinally');
const at = (site: { line: number; column: number }): string => `${site.line}:${site.column}`;

describe('scope-stdout-rebinding fixtures', () => {
  it('has fixtures for both styles, each either a pair or a declared refusal / no-change case', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(25);
    expect(fixtures.filter((fixture) => fixture.options.style === 'using' && fixture.expected !== null).length).toBeGreaterThanOrEqual(5);
    for (const fixture of fixtures) {
      if (fixture.expected === null) {
        expect(fixture.refusals.length > 0 || fixture.name.startsWith('no-change-') || fixture.name === 'finally-already', fixture.name).toBe(true);
      }
    }
  });

  it('covers every refusal reason with a fixture (a test double is only reported with checkTestDoubles, which the codemod never sets)', () => {
    const covered = new Set(fixtures.flatMap((fixture) => fixture.refusals));
    const reachable = Object.keys(refusalReasons).filter((reason) => reason !== 'test-double-in-concurrent-test');
    expect([...covered].sort()).toEqual(reachable.sort());
  });

  describe.each(fixtures)('$inputFile', (fixture) => {
    const result = resultOf(fixture);

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

    it('reports the expected refusals, each with its message', () => {
      expect(result.refused.map((refusal) => refusal.reason)).toEqual(fixture.refusals);
      for (const refusal of result.refused) expect(refusal.message.length).toBeGreaterThan(20);
    });

    it('emits code that parses (TypeScript ESTree)', () => {
      expect(() => parseWithTypeScript(result.output, { jsx: !/\.[cm]?ts$/.test(fixture.inputFile), loc: false, range: false })).not.toThrow();
    });

    it('is idempotent: its output is left alone', () => {
      const again = transformSource(result.output, fixture.inputFile, fixture.options);
      expect(again.output).toBe(result.output);
      expect(again.converted).toEqual([]);
    });

    it('never changes a string, template, regexp, comment or JSX text (same multiset)', () => {
      expect(tokenValues(result.output, fixture.inputFile)).toEqual(tokenValues(fixture.input, fixture.inputFile));
    });

    it('shares its detector with the rule: it converts exactly the reports that carry the suggestion, and refuses the others', () => {
      const messages = ruleMessages(fixture.input, fixture.inputFile);
      const fixable = messages.filter((message) => message.suggestions?.some((suggestion) => suggestion.messageId === suggestionIdOf(fixture.options)));
      const reported = new Set(messages.map((message) => at({ line: message.line, column: message.column - 1 })));
      const converted = result.converted.map(at);
      // Style `using` also rewrites patches already restored in a `finally`: the rule finds
      // those safe and reports nothing there.
      const convertedReported = converted.filter((site) => reported.has(site));
      expect(convertedReported.sort()).toEqual(fixable.map((message) => at({ line: message.line, column: message.column - 1 })).sort());
      if (fixture.options.style !== 'using') expect(convertedReported).toEqual(converted);
      const unfixable = messages.filter((message) => !fixable.includes(message));
      expect(result.refused.map(at).sort()).toEqual(unfixable.map((message) => at({ line: message.line, column: message.column - 1 })).sort());
    });
  });
});

describe('scope-stdout-rebinding: the suggestions of ctx/no-global-stdout-rebinding, applied one by one, give the transform output', () => {
  function applySuggestionsOneByOne(source: string, file: string, options: TransformOptions): { output: string; steps: number } {
    let current = source;
    for (let steps = 0; steps < 20; steps++) {
      const suggestion = ruleMessages(current, file)
        .flatMap((message) => message.suggestions ?? [])
        .find((candidate) => candidate.messageId === suggestionIdOf(options));
      if (suggestion === undefined) return { output: current, steps };
      const { range, text } = suggestion.fix;
      current = current.slice(0, range[0]) + text + current.slice(range[1]);
    }
    throw new Error(`${file}: still suggesting after 20 steps`);
  }

  // Where every converted site is one the rule reports (not the `finally` → stack rewrites of style `using`).
  const cases = fixtures.filter((fixture) => fixture.expected !== null && fixture.name !== 'finally-already-using');
  it.each(cases.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    const { output, steps } = applySuggestionsOneByOne(fixture.input, fixture.inputFile, fixture.options);
    expect(steps).toBeGreaterThan(0);
    expect(output).toBe(fixture.expected);
  });

  it('offers no suggestion for a restoredOutsideFinally the fixer refuses', () => {
    const refused = fixtures.find((fixture) => fixture.name === 'refuse-serial-test-await')!;
    const messages = ruleMessages(refused.input, refused.inputFile);
    expect(messages.map((message) => message.messageId)).toEqual(['restoredOutsideFinally']);
    expect(messages[0]!.suggestions ?? []).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Type checking and lint-clean output


describe('scope-stdout-rebinding output: type checking (tsc --strict, lib ES2022 + esnext.disposable, @types/node)', () => {
  const rewritten = fixtures.filter((fixture) => fixture.expected !== null && /\.ts$/.test(fixture.inputFile));
  const virtual = (fixture: FixtureCase<TransformOptions>, role: string): string => path.join(REPO_ROOT, '.virtual', 'scope', `${fixture.name}.${role}.ts`);
  const files = new Map<string, string>();
  for (const fixture of rewritten) {
    files.set(virtual(fixture, 'input'), fixture.input);
    files.set(virtual(fixture, 'output'), resultOf(fixture).output);
  }
  // The check must be able to fail: a restore that puts back a value of the wrong type.
  const known = path.join(REPO_ROOT, '.virtual', 'scope', 'known-bad.ts');
  files.set(known, 'export function f(): void {\n  using stack = new DisposableStack();\n  stack.defer(() => {\n    console.log = 1;\n  });\n}\n');
  const diagnostics = typeCheckVirtualFiles(files, { nodeTypes: true });

  it('detects a type error in a defer body (the harness can fail)', () => {
    expect(diagnostics.get(known)!.join('\n')).toMatch(/TS2322/);
  });

  it.each(rewritten.map((fixture) => [fixture.name, fixture] as const))('%s: input and output pass', (_name, fixture) => {
    expect(diagnostics.get(virtual(fixture, 'input'))).toEqual([]);
    expect(diagnostics.get(virtual(fixture, 'output'))).toEqual([]);
  });
});

describe('scope-stdout-rebinding output: lints clean with configs.all (no ctx report)', () => {
  const config: Linter.Config[] = [
    {
      files: FILES,
      plugins: { ctx: plugin as unknown as ESLint.Plugin },
      languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } }, sourceType: 'module' },
      rules: plugin.configs.all.rules,
      linterOptions: { reportUnusedDisableDirectives: 'off' },
    },
  ];
  const lint = (code: string, file: string): string[] =>
    linter.verify(code, config, { filename: file }).map((message) => `${message.line}:${message.column} ${message.ruleId ?? 'fatal'}: ${message.message}`);
  // A rewrite fixes its site. Style `finally` writes a try/finally whose only cleanup is the
  // restore: `ctx/prefer-using` (in `all`, not in `recommended`) may then suggest the stack form,
  // which is what style `using` writes, and that output must be clean.
  it.each(fixtures.filter((fixture) => fixture.expected !== null && fixture.refusals.length === 0).map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    const reports = lint(resultOf(fixture).output, fixture.inputFile);
    if (fixture.options.style === 'using') {
      expect(reports).toEqual([]);
      return;
    }
    expect(reports.filter((report) => !/ ctx\/prefer-using: /.test(report))).toEqual([]);
    if (reports.length > 0) expect(lint(transformSource(fixture.input, fixture.inputFile, { style: 'using' }).output, fixture.inputFile)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('scope-stdout-rebinding transformSource', () => {
  it('names the file and line:column when the source does not parse', () => {
    expect(() => transformSource('console.log = ;\n', 'src/broken.ts')).toThrow(/^src\/broken\.ts:1:\d+: cannot parse/);
  });

  it('reads JavaScript as ESLint does (espree): a sloppy-mode script with an octal escape parses', () => {
    const source = 'function quiet(task) {\n  var original = console.log;\n  console.log = function () {};\n  task("\\011");\n  console.log = original;\n}\n';
    const result = transformSource(source, 'legacy.js');
    expect(result.output).toContain('} finally {');
    expect(() => transformSource(source, 'legacy.ts')).toThrow(/legacy\.ts:4:\d+: cannot parse/);
  });

  it('keeps CRLF line endings', () => {
    const source = fixtures.find((fixture) => fixture.name === 'console-log')!.input.replaceAll('\n', '\r\n');
    const { output, changed } = transformSource(source, 'a.ts');
    expect(changed).toBe(true);
    expect(output.split('\r\n').length).toBe(output.split('\n').length);
  });

  it('names the stack `stack2` when the function already mentions `stack`', () => {
    const source = 'export function f(stack: string[]): void {\n  const original = console.log;\n  console.log = () => {};\n  stack.pop();\n  console.log = original;\n}\n';
    expect(transformSource(source, 'a.ts', { style: 'using' }).output).toContain('using stack2 = new DisposableStack();');
  });

  it('is registered in ctx-codemod under its name, with a text precheck every converted fixture passes', () => {
    const entry = codemods['scope-stdout-rebinding']!;
    expect(entry.transformSource).toBe(transformSource);
    expect(entry.moduleUrl).toMatch(/scope-stdout-rebinding\.(js|ts)$/);
    for (const fixture of fixtures.filter((candidate) => candidate.expected !== null)) expect(entry.mightMatch!.test(fixture.input)).toBe(true);
    expect(entry.mightMatch!.test('export const x = 1;\n')).toBe(false);
  });
});

describe('scope-stdout-rebinding jscodeshift entry point', () => {
  const api = {} as Parameters<typeof transform>[1];
  const source = fixtures.find((fixture) => fixture.name === 'console-log')!.input;

  it('returns the new source when something changed, in the style asked for', () => {
    expect(transform({ path: 'x.ts', source }, api)).toContain('} finally {');
    expect(transform({ path: 'x.ts', source }, api, { style: 'using' })).toContain('using stack = new DisposableStack();');
  });

  it('returns undefined when nothing changed', () => {
    expect(transform({ path: 'x.ts', source: 'export const x = 1;\n' }, api)).toBeUndefined();
  });

  it('rejects an unknown style', () => {
    expect(() => transform({ path: 'x.ts', source }, api, { style: 'defer' })).toThrow(/--style must be "finally" or "using"/);
  });
});

describe('ctx-codemod scope-stdout-rebinding (in-process CLI)', () => {
  const source = fixtures.find((fixture) => fixture.name === 'console-log')!;
  const run = async (argv: string[]): Promise<{ code: number; stdout: string; stderr: string; written: string }> => {
    const directory = mkdtempSync(path.join(tmpdir(), 'ctx-scope-'));
    try {
      writeFileSync(path.join(directory, 'capture.ts'), source.input);
      let stdout = '';
      let stderr = '';
      const code = await main([...argv, 'capture.ts'], {
        cwd: directory,
        availableCpus: 1,
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
      });
      return { code, stdout, stderr, written: readFileSync(path.join(directory, 'capture.ts'), 'utf8') };
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  };

  it('rewrites with --style using, and reports converted sites in --json', async () => {
    const result = await run(['scope-stdout-rebinding', '--force', '--no-gitignore', '--style', 'using', '--json']);
    expect(result.code).toBe(0);
    expect(result.written).toBe(transformSource(source.input, 'capture.ts', { style: 'using' }).output);
    expect((JSON.parse(result.stdout) as { summary: { converted: number } }).summary.converted).toBe(1);
  });

  it('rejects an unknown --style', async () => {
    const result = await run(['scope-stdout-rebinding', '--style', 'defer']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--style/);
    expect(result.written).toBe(source.input);
  });

  it('lists the transform in --help', async () => {
    let stdout = '';
    await main(['--help'], { stdout: { write: (chunk: string) => (stdout += chunk) }, stderr: { write: () => true } });
    expect(stdout).toMatch(/scope-stdout-rebinding {2}Scope a synchronous patch/);
    expect(stdout).toContain('--style <style>');
  });
});
