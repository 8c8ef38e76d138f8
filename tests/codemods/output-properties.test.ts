// Properties of what try-finally-to-using prints, over every fixture and every oracle sample:
//  - no string, template, regexp, comment or JSX text changes (tests/oracle/token-values.ts);
//  - rewriting one site at a time (`rewriteCleanupSite`, what an editor suggestion applies)
//    ends in the same text as the whole-file rewrite;
//  - a TypeScript input that passes `tsc --strict` still passes after conversion (one in-process
//    Program over all of them, lib ES2022 + esnext.disposable);
//  - the output draws no report from any rule of the plugin (`configs.all`).

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import type { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

import { analyzeTryFinallyCleanups, type AstNode } from '../../analysis/try-finally-cleanup.js';
import { parseForCleanupAnalysis } from '../../analysis/try-finally-parse.js';
import { cleanupPolicyFor } from '../../analysis/try-finally-policy.js';
import { rewriteCleanupSite, transformSource, type TransformOptions } from '../../codemods/try-finally-to-using.js';
import plugin from '../../index.js';
import { REPO_ROOT } from '../oracle/engines.js';
import { TRY_FINALLY_FIXTURES } from '../oracle/fixtures.js';
import { loadSamples } from '../oracle/samples.js';
import { tokenValues } from '../oracle/token-values.js';

import { typeCheckVirtualFiles } from './type-check.js';

interface Case {
  name: string;
  fileName: string;
  input: string;
  output: string;
  options: TransformOptions;
}

function fixtureCases(): Case[] {
  const cases: Case[] = [];
  for (const file of readdirSync(TRY_FINALLY_FIXTURES).sort()) {
    const match = /^(.+)\.input\.(\w+)$/.exec(file);
    if (!match) continue;
    const name = match[1]!;
    const optionsPath = path.join(TRY_FINALLY_FIXTURES, `${name}.options.json`);
    const options = (existsSync(optionsPath) ? JSON.parse(readFileSync(optionsPath, 'utf8')) : {}) as TransformOptions;
    const input = readFileSync(path.join(TRY_FINALLY_FIXTURES, file), 'utf8');
    cases.push({ name: `fixture ${name}`, fileName: file, input, output: transformSource(input, file, options).output, options });
  }
  return cases;
}

const fixtures = fixtureCases();
const samples: Case[] = loadSamples().map((sample) => ({
  name: `oracle sample ${sample.name}`,
  fileName: sample.fileName,
  input: sample.input,
  output: transformSource(sample.input, sample.fileName).output,
  options: {},
}));

describe('try-finally-to-using output: literal and comment text', () => {
  it.each(samples.map((sample) => [sample.name, sample] as const))('%s keeps every literal and comment', (_name, sample) => {
    expect(sample.output).not.toBe(sample.input);
    expect(tokenValues(sample.output, sample.fileName)).toEqual(tokenValues(sample.input, sample.fileName));
  });

  it('sees a re-indented line inside a template literal, a continued string or a block comment', () => {
    const base = 'const a = `x\n    y`;\nconst b = "p\\\n    q";\n/* c\n    d */\n';
    for (const changed of [base.replace('    y', '  y'), base.replace('    q', '  q'), base.replace('    d', '  d')]) {
      expect(tokenValues(changed, 'a.ts')).not.toEqual(tokenValues(base, 'a.ts'));
    }
    // JSX text compares by the value a runtime sees: indentation around a newline is not part of it.
    expect(tokenValues('const j = <p>\n    hi\n  </p>;\n', 'a.jsx')).toEqual(tokenValues('const j = <p>\n  hi\n</p>;\n', 'a.jsx'));
  });
});

// ---------------------------------------------------------------------------------------------
// Type checking

const TS_FILE = /\.(c|m)?tsx?$/;

describe('try-finally-to-using output: type checking', () => {
  const cases = [...fixtures, ...samples].filter((entry) => TS_FILE.test(entry.fileName) && entry.output !== entry.input);
  const virtual = (entry: Case, role: 'input' | 'output'): string =>
    path.join(REPO_ROOT, '.virtual', `${entry.name.replace(/\W+/g, '-')}.${role}${path.extname(entry.fileName)}`);
  const files = new Map<string, string>();
  for (const entry of cases) {
    files.set(virtual(entry, 'input'), entry.input);
    files.set(virtual(entry, 'output'), entry.output);
  }
  // The check must be able to fail: the form issue #8 found in real code (TS2322 on an
  // AsyncDisposableStack whose callback returns a Promise<string>).
  const known = path.join(REPO_ROOT, '.virtual', 'known-bad.ts');
  files.set(known, 'declare function report(): Promise<string>;\nexport async function f() {\n  await using stack = new AsyncDisposableStack();\n  stack.defer(() => report());\n}\n');
  const diagnostics = typeCheckVirtualFiles(files);
  const checked = cases.filter((entry) => diagnostics.get(virtual(entry, 'input'))!.length === 0);

  it('detects a callback type error (the harness can fail)', () => {
    expect(diagnostics.get(known)!.join('\n')).toMatch(/TS2322/);
  });

  it('has TypeScript inputs that pass tsc --strict', () => {
    expect(checked.length).toBeGreaterThanOrEqual(20);
  });

  it.each(checked.map((entry) => [entry.name, entry] as const))('%s: the output still passes tsc --strict', (_name, entry) => {
    expect(diagnostics.get(virtual(entry, 'output'))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Lint-clean output

describe('try-finally-to-using output: lints clean with configs.all', () => {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [
    {
      files: ['**/*.{js,jsx,cjs,mjs,ts,tsx,mts,cts}'],
      plugins: { ctx: plugin as unknown as ESLint.Plugin },
      languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } }, sourceType: 'module' },
      rules: plugin.configs.all.rules,
      linterOptions: { reportUnusedDisableDirectives: 'off' },
    },
  ];

  // Outputs still reported by a rule whose fix is being made elsewhere, with that rule. Each entry
  // is checked to still fail in exactly that way: when the fix lands, its test fails here and
  // the entry must go.
  it.each(fixtures.filter((entry) => entry.output !== entry.input).map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const messages = linter.verify(entry.output, config, { filename: entry.fileName });
    expect(messages.map((message) => `${message.line}:${message.column} ${message.ruleId ?? 'fatal'}: ${message.message}`)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// One site at a time (what an editor suggestion of ctx/prefer-using applies)

describe('try-finally-to-using: one site at a time (the codemod, or an editor applying suggestions) gives the whole-file rewrite', () => {
  /** Rewrites the first remaining site, parses again, and so on: outer sites first. */
  function rewriteSiteBySite(source: string, fileName: string, options: TransformOptions): { output: string; steps: number } {
    let current = source;
    for (let steps = 0; steps < 50; steps++) {
      const file = parseForCleanupAnalysis(current, fileName) as unknown as AstNode;
      const analysis = analyzeTryFinallyCleanups(file, cleanupPolicyFor({ allSites: options.allSites, filePath: fileName, comments: file.comments as unknown[] }));
      const site = analysis.chains[0];
      if (!site) return { output: current, steps };
      const { range, text } = rewriteCleanupSite(current, file, analysis, site);
      current = current.slice(0, range[0]) + text + current.slice(range[1]);
    }
    throw new Error(`${fileName}: still finding sites after 50 rewrites`);
  }

  // Where one site at a time must differ, and why. The detector decides placement on the text
  // it is given: once the outer site is rewritten, the inner try (which the whole-file rewrite
  // kept in a block, as its enclosing body is spliced away) is the last statement of the
  // function, so it flattens there. Same statements in the same order, one block fewer.
  const flattensWhenAlone = new Set(['fixture existing-using']);
  const withoutBlocks = (code: string): string =>
    code
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '{' && line !== '}')
      .join('\n');

  /** The same through ESLint: applies the first suggestion of ctx/prefer-using, lints again, and so on. */
  const linter = new Linter({ configType: 'flat' });
  function applySuggestionsOneByOne(source: string, fileName: string, options: TransformOptions): { output: string; steps: number } {
    const config: Linter.Config[] = [
      {
        files: ['**/*.{js,jsx,cjs,mjs,ts,tsx,mts,cts}'],
        plugins: { ctx: plugin as unknown as ESLint.Plugin },
        languageOptions: { parser: tsParser, parserOptions: { ecmaFeatures: { jsx: true } }, sourceType: 'module' },
        rules: { 'ctx/prefer-using': ['error', { allSites: options.allSites === true }] },
        linterOptions: { reportUnusedDisableDirectives: 'off' },
      },
    ];
    let current = source;
    for (let steps = 0; steps < 50; steps++) {
      const messages = linter.verify(current, config, { filename: fileName });
      expect(messages.filter((message) => message.fatal)).toEqual([]);
      const first = messages[0];
      if (!first) return { output: current, steps };
      expect(first.suggestions, `${fileName}:${first.line}: a prefer-using report without a suggestion`).toHaveLength(1);
      const { range, text } = first.suggestions![0]!.fix;
      current = current.slice(0, range[0]) + text + current.slice(range[1]);
    }
    throw new Error(`${fileName}: still reported after 50 suggestions`);
  }

  const rewritten = fixtures.filter((entry) => entry.output !== entry.input).map((entry) => [entry.name, entry] as const);
  const ways = [
    ['the codemod, site by site', rewriteSiteBySite],
    ['the suggestions of ctx/prefer-using, one by one', applySuggestionsOneByOne],
  ] as const;
  describe.each(ways)('%s', (_way, rewrite) => {
    it.each(rewritten)('%s', (_name, entry) => {
      const { output, steps } = rewrite(entry.input, entry.fileName, entry.options);
      expect(steps).toBeGreaterThan(0);
      if (flattensWhenAlone.has(entry.name)) {
        expect(output).not.toBe(entry.output);
        expect(withoutBlocks(output)).toBe(withoutBlocks(entry.output));
        return;
      }
      expect(output).toBe(entry.output);
    });
  });
});
