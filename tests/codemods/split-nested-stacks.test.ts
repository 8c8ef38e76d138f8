import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import tsParser from '@typescript-eslint/parser';
import { parse as parseWithTypeScript } from '@typescript-eslint/typescript-estree';
import { Linter } from 'eslint';
import type { ESLint, Rule } from 'eslint';
import { describe, expect, it } from 'vitest';

import { main as ctxCodemod } from '../../codemods/cli/runner.js';
import { codemods } from '../../codemods/index.js';
import transform, { MAX_CALL_DEPTH, refusalReasons, transformSource } from '../../codemods/split-nested-stacks.js';
import plugin from '../../index.js';
import noNestedReuse, { DEFAULT_MAX_CALL_DEPTH } from '../../rules/no-nested-reuse.js';
import { REPO_ROOT } from '../oracle/engines.js';
import { tokenValues } from '../oracle/token-values.js';

import { loadFixturePairs } from './fixture-pairs.js';
import { typeCheckVirtualFiles } from './type-check.js';

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__testfixtures__', 'split-nested-stacks');

const fixtures = loadFixturePairs('split-nested-stacks');
const linter = new Linter({ configType: 'flat' });
const FILES = ['**/*.{js,jsx,cjs,mjs,ts,tsx,mts,cts}'];

/** The stack reports of `ctx/no-nested-reuse` that carry the split as a suggestion, and the suggested edits. */
function twinRule(code: string, file: string): { sites: Array<[number, number]>; suggested: Array<{ range: [number, number]; text: string }>; messages: Linter.LintMessage[] } {
  const messages = linter.verify(
    code,
    [
      {
        files: FILES,
        plugins: { ctx: { rules: { 'no-nested-reuse': noNestedReuse as unknown as Rule.RuleModule } } },
        languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } }, sourceType: 'module' },
        rules: { 'ctx/no-nested-reuse': 'error' },
      },
    ],
    { filename: file },
  );
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  const withSuggestion = messages.filter((message) => (message.suggestions?.length ?? 0) > 0);
  return {
    messages,
    sites: withSuggestion.map((message) => [message.line, message.column - 1]),
    suggested: withSuggestion.flatMap((message) => message.suggestions!.map((suggestion) => ({ range: suggestion.fix.range, text: suggestion.fix.text }))),
  };
}

function applySuggestions(code: string, edits: ReadonlyArray<{ range: [number, number]; text: string }>): string {
  const unique = new Map(edits.map((edit) => [`${edit.range[0]}:${edit.range[1]}:${edit.text}`, edit]));
  let output = code;
  for (const edit of [...unique.values()].sort((a, b) => b.range[0] - a.range[0])) output = output.slice(0, edit.range[0]) + edit.text + output.slice(edit.range[1]);
  return output;
}

describe('split-nested-stacks fixtures', () => {
  it('has fixtures: rewrites, refusals and no-change cases', () => {
    expect(fixtures.filter((fixture) => fixture.expected !== null).length).toBeGreaterThanOrEqual(10);
    for (const fixture of fixtures) {
      if (fixture.expected === null) expect(fixture.refusals.length > 0 || fixture.name.startsWith('no-change-'), fixture.name).toBe(true);
    }
  });

  it('covers every refusal reason with a fixture', () => {
    const covered = new Set(fixtures.flatMap((fixture) => fixture.refusals));
    expect([...covered].sort()).toEqual(Object.keys(refusalReasons).sort());
  });

  describe.each(fixtures)('$inputFile', (fixture) => {
    const result = transformSource(fixture.input, fixture.inputFile);

    it('produces exactly the expected output', () => {
      if (fixture.expected === null) {
        expect(result.output).toBe(fixture.input);
        expect(result.changed).toBe(false);
        expect(result.converted).toEqual([]);
      } else {
        expect(result.changed).toBe(true);
        expect(result.output).toBe(fixture.expected);
      }
    });

    it('reports the expected refusals with their documented messages', () => {
      expect(result.refused.map((refusal) => refusal.reason)).toEqual(fixture.refusals);
      for (const refusal of result.refused) expect(refusal.message).toBe(refusalReasons[refusal.reason]);
    });

    it('emits code that parses', () => {
      expect(() => parseWithTypeScript(result.output, { jsx: !/\.(c|m)?ts$/.test(fixture.inputFile), loc: false, range: false })).not.toThrow();
    });

    it('is idempotent: its output is left alone', () => {
      const again = transformSource(result.output, fixture.inputFile);
      expect(again.output).toBe(result.output);
      expect(again.converted).toEqual([]);
      expect(again.refused.map((refusal) => refusal.reason)).toEqual(fixture.refusals);
    });

    // The shared detector covers the stack sites: a cleanup list is no `no-nested-reuse` report
    // (see the doc's Limits), so the comparison is with the transform restricted to stacks.
    it('changes exactly the stack sites ctx/no-nested-reuse reports as fixable, and its suggestions are the same edits', () => {
      const stacks = transformSource(fixture.input, fixture.inputFile, { only: 'stacks' });
      const twin = twinRule(fixture.input, fixture.inputFile);
      expect(twin.sites).toEqual(stacks.converted.map((site): [number, number] => [site.line, site.column]));
      expect(applySuggestions(fixture.input, twin.suggested)).toBe(stacks.output);
      // After the split nothing is left to suggest.
      expect(twinRule(result.output, fixture.inputFile).sites).toEqual([]);
    });

    it('splits stacks and rewrites cleanup lists independently: together they are the whole output', () => {
      const stacks = transformSource(fixture.input, fixture.inputFile, { only: 'stacks' });
      const lists = transformSource(fixture.input, fixture.inputFile, { only: 'lists' });
      expect(stacks.converted.length + lists.converted.length).toBe(result.converted.length);
      expect([...stacks.refused, ...lists.refused].map((refusal) => refusal.reason).sort()).toEqual(result.refused.map((refusal) => refusal.reason).sort());
      // The fixtures keep the two kinds apart: a `list-` fixture has no stack site, the others no list.
      if (fixture.name.startsWith('list-')) expect(stacks.output).toBe(fixture.input);
      else expect(lists.output).toBe(fixture.input);
    });

    it('never changes a string, template, regexp or comment', () => {
      expect(tokenValues(result.output, fixture.inputFile)).toEqual(tokenValues(fixture.input, fixture.inputFile));
    });
  });

  it('names the codemod in the reports it can fix', () => {
    const fixture = fixtures.find((candidate) => candidate.name === 'nested-block')!;
    const [message] = twinRule(fixture.input, fixture.inputFile).messages;
    expect(message?.message).toContain('npx ctx-codemod split-nested-stacks');
    expect(message?.suggestions?.[0]?.desc).toContain('split-nested-stacks');
  });
});

describe('split-nested-stacks output: lints clean with configs.all', () => {
  const config: Linter.Config[] = [
    {
      files: FILES,
      plugins: { ctx: plugin as unknown as ESLint.Plugin },
      languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } }, sourceType: 'module' },
      rules: plugin.configs.all.rules,
      linterOptions: { reportUnusedDisableDirectives: 'off' },
    },
  ];
  const changed = fixtures.filter((fixture) => fixture.expected !== null);

  it('the check can fail: an input draws its report', () => {
    const stackFixture = changed.find((fixture) => !fixture.name.startsWith('list-'))!;
    const messages = linter.verify(stackFixture.input, config, { filename: stackFixture.inputFile });
    expect(messages.some((message) => message.ruleId === 'ctx/no-nested-reuse')).toBe(true);
  });

  it.each(changed.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    const messages = linter.verify(fixture.expected!, config, { filename: fixture.inputFile });
    expect(messages.map((message) => `${message.line}:${message.column} ${message.ruleId ?? 'fatal'}: ${message.message}`)).toEqual([]);
  });
});

describe('split-nested-stacks output: type checking', () => {
  const virtual = (name: string, role: string): string => path.join(REPO_ROOT, '.virtual', 'split-nested-stacks', `${name}.${role}.ts`);
  const files = new Map<string, string>();
  const typed = fixtures.filter((fixture) => fixture.expected !== null && fixture.inputFile.endsWith('.ts'));
  for (const fixture of typed) {
    files.set(virtual(fixture.name, 'input'), fixture.input);
    files.set(virtual(fixture.name, 'output'), fixture.expected!);
  }
  // The harness must be able to fail: a sync stack where an async one is needed.
  files.set(virtual('known-bad', 'output'), 'export function f() {\n  using stack = new DisposableStack();\n  stack.use(new AsyncDisposableStack());\n}\n');
  const checked = typeCheckVirtualFiles(files);
  const diagnostics = (fileName: string): string[] | undefined => checked.get(fileName);

  it('detects a type error (the harness can fail)', () => {
    expect(diagnostics(virtual('known-bad', 'output'))!.join('\n')).toMatch(/TS2345/);
  });

  it.each(typed.map((fixture) => [fixture.name, fixture] as const))('%s: input and output pass tsc --strict', (_name, fixture) => {
    expect(diagnostics(virtual(fixture.name, 'input'))).toEqual([]);
    expect(diagnostics(virtual(fixture.name, 'output'))).toEqual([]);
  });
});

describe('split-nested-stacks entry points', () => {
  it('is registered under its name, with a precheck that lets every fixture through', () => {
    const entry = codemods['split-nested-stacks'];
    expect(entry?.transformSource).toBe(transformSource);
    expect(entry?.moduleUrl).toMatch(/split-nested-stacks\.js$/);
    for (const fixture of fixtures) expect(entry?.mightMatch?.test(fixture.input), fixture.name).toBe(true);
  });

  it('is listed by `ctx-codemod --help`', async () => {
    let out = '';
    const stream = { write: (chunk: string) => (out += chunk) };
    expect(await ctxCodemod(['--help'], { stdout: stream, stderr: stream })).toBe(0);
    expect(out).toMatch(/^\s+split-nested-stacks\s+Give a `using` of a stack/m);
  });

  it('counts its conversions and refusals by reason in `ctx-codemod --json`', async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), 'split-nested-stacks-'));
    try {
      for (const name of ['nested-block.input.ts', 'refuse-passed.input.ts', 'refuse-escapes.input.ts', 'list-for-of-reverse.input.ts', 'list-refuse-fifo.input.ts']) {
        writeFileSync(path.join(directory, name), readFileSync(path.join(fixturesDir, name)));
      }
      let out = '';
      const stream = { write: (chunk: string) => (out += chunk) };
      expect(await ctxCodemod(['split-nested-stacks', '--dry', '--json', '--cpus', '1', '--force', directory], { stdout: stream, stderr: { write: () => true } })).toBe(0);
      const { summary } = JSON.parse(out) as { summary: { converted: number; refused: number; refusalReasons: Record<string, number>; errors: number } };
      expect(summary).toMatchObject({ converted: 2, refused: 3, errors: 0, refusalReasons: { 'passed-to-unknown-code': 1, escapes: 1, 'registration-order': 1 } });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('fixes what the rule reports by default', () => {
    expect(MAX_CALL_DEPTH).toBe(DEFAULT_MAX_CALL_DEPTH);
  });

  it('names the file and line:column when the source does not parse', () => {
    expect(() => transformSource('using x = ;\n', 'src/broken.ts')).toThrow(/^src\/broken\.ts:1:\d+: cannot parse/);
  });

  it('returns a file without `using` unchanged, without parsing it', () => {
    const source = 'const x = ;\n';
    expect(transformSource(source, 'src/broken.ts')).toEqual({ output: source, changed: false, converted: [], refused: [] });
    // A cleanup list needs both a `finally` and a `.push(`: one of them alone is not parsed either.
    const finallyOnly = 'try { f(); } finally { const x = ; }\n';
    expect(transformSource(finallyOnly, 'src/broken.ts').changed).toBe(false);
    expect(() => transformSource(`${finallyOnly}list.push(g);\n`, 'src/broken.ts')).toThrow(/cannot parse/);
  });

  it('runs under plain jscodeshift', () => {
    const api = {} as Parameters<typeof transform>[1];
    const fixture = fixtures.find((candidate) => candidate.name === 'nested-block')!;
    expect(transform({ path: fixture.inputFile, source: fixture.input }, api)).toBe(fixture.expected);
    expect(transform({ path: 'x.ts', source: 'export const using = 1;\n' }, api)).toBeUndefined();
  });
});
