import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import tsParser from '@typescript-eslint/parser';
import { Linter, type Rule } from 'eslint';
import { describe, expect, it } from 'vitest';

import type { AstNode } from '../../analysis/try-finally-ast-shape.js';
import {
  surveyByWalk,
  surveyFromTokens,
  surveyLintedFile,
  type FileSurvey,
  type LintedFile,
} from '../../analysis/try-finally-survey.js';
import { TRY_FINALLY_FIXTURES } from '../oracle/fixtures.js';

// `ctx/prefer-using` surveys a file for its suggestions from ESLint's tokens and scopes; the
// codemod walks every node. Both must find the same facts, or a suggestion would differ from
// the codemod's rewrite. Each case here compares the token survey (without its fallback to the
// walk) with the walk, on the AST ESLint itself builds.

interface Parsed {
  program: AstNode;
  source: string;
  linted: LintedFile;
}

function parseWithEslint(code: string, filename: string): Parsed {
  let parsed: Parsed | undefined;
  const capture: Rule.RuleModule = {
    create(context) {
      return {
        'Program:exit'(program) {
          const { sourceCode } = context;
          parsed = {
            program: program as unknown as AstNode,
            source: sourceCode.text,
            linted: { tokens: sourceCode.ast.tokens as unknown as LintedFile['tokens'], scopes: sourceCode.scopeManager.scopes, childKeys: sourceCode.visitorKeys },
          };
        },
      };
    },
  };
  const typescript = /\.[cm]?tsx?$/.test(filename);
  const messages = new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.{js,jsx,cjs,mjs,ts,tsx,mts,cts}'],
        plugins: { survey: { rules: { capture } } },
        rules: { 'survey/capture': 'error' },
        languageOptions: typescript ? { parser: tsParser } : { parserOptions: { ecmaFeatures: { jsx: true } } },
      },
    ],
    { filename },
  );
  const fatal = messages.find((message) => message.fatal);
  if (fatal || !parsed) throw new Error(`${filename} does not parse: ${fatal?.message ?? messages[0]?.message ?? "no program"}`);
  return parsed;
}

/** A survey as a comparable value: order and repeats do not matter to the printer. */
const canonical = (survey: FileSurvey) => ({
  multilineValues: [...new Set(survey.multilineValues.map(([start, end]) => `${start}-${end}`))].sort(),
  semicolons: survey.semicolons,
  uses: [...new Set(survey.uses.map(({ name, at }) => `${name}@${at}`))].sort(),
  bindings: [...new Set(survey.bindings.map(({ name, scope }) => `${name}@${scope.join('-')}`))].sort(),
});

function expectSameSurvey(code: string, filename: string): ReturnType<typeof canonical> {
  const { program, source, linted } = parseWithEslint(code, filename);
  const walked = canonical(surveyByWalk(program, source));
  expect(canonical(surveyFromTokens(program, source, linted))).toEqual(walked);
  return walked;
}

describe('the token survey finds what the walk finds', () => {
  it('names: uses, property names, and every kind of binding with its scope', () => {
    const survey = expectSameSurvey(
      `import stack, { stack1 as stack2, stack3 } from 'a';
export { stack3 };
var stack4 = 1;
function stack5(stack6, { stack7, k: [stack8 = 1, ...stack9] }, ...stack10) {
  if (x) { var stack11; let stack12; }
  try { stack.push(o.stack, { stack: 1, stack13 }); } catch ({ stack14 }) {}
  class stack15 { stack() {} static { const stack16 = 0; } }
  const { stack: stack17, ...stack18 } = o;
  for (const stack19 of xs) label: stack20();
  stackTrace(); mystack(); stack_21();
}
`,
      'names.js',
    );
    // The case must exercise what it claims: shorthand keys count as uses, \`o.stack\` does not.
    expect(survey.uses.length).toBeGreaterThan(15);
    expect(survey.bindings).toEqual(expect.arrayContaining([expect.stringMatching(/^stack11@/), expect.stringMatching(/^stack14@/), expect.stringMatching(/^stack16@/)]));
  });

  it('TypeScript: parameter properties, namespaces, declare, types named stack', () => {
    expectSameSurvey(
      `namespace N { export const stack = 1; }
declare global { var stack1: number }
class C { constructor(private stack2: number, public readonly stack3 = 2) {} }
type stack4 = { stack: string };
function f<stack5>(this: unknown, stack6?: stack4): stack5 { return stack6 as never }
enum E { stack7 }
`,
      'names.ts',
    );
  });

  it('values: line continuations, templates nested in templates, template literal types, JSX attributes and text', () => {
    const survey = expectSameSurvey(
      `const a = 'one\\
two';
const b = \`x\${\`inner
\${y}\`}
z\`;
const c = tag\`
\`;
const d = <div title="first
second" alt='a' data-x=/* c */"p
q">
  text "quoted
  across" lines {\`t
\`}
</div>;
const e = /\`/; // a backtick \` in a comment and a regexp
const f = "\\\`";
`,
      'values.jsx',
    );
    expect(survey.multilineValues.length).toBeGreaterThanOrEqual(6);
    const typed = expectSameSurvey('type T = `a\n${string}`;\nconst v = `b\n`;\n', 'types.ts');
    expect(typed.multilineValues).toHaveLength(1);
  });

  it('semicolons: bodiless loops, labels, switch, namespaces, static blocks, nested functions', () => {
    const withSemicolons = `for (;;) x++;
for (const a of b) y()
label: while (x) { break label; }
switch (x) { case 1: f(); break; default: g() }
export const h = () => { return 1; };
class K { static { k(); } m() { return this; } }
do z(); while (w);
if (a) b(); else { c() }
try { d() } catch { e(); } finally { f(); }
`;
    expect(expectSameSurvey(withSemicolons, 'semi.js').semicolons).toBe(true);
    expect(expectSameSurvey(withSemicolons.replaceAll(';', '\n').replace('for (\n\n)', 'for (;;)'), 'nosemi.js').semicolons).toBe(false);
    expectSameSurvey('namespace A.B { export function f() { g(); return 1 } h() }\ndeclare module "m" { const x: 1 }\nexport default function () { i(); }\n', 'ns.ts');
  });

  it('every try-finally-to-using fixture ESLint parses', () => {
    // Flow annotations are the codemod's only: ESLint's parsers (and so the rule) reject them.
    const inputs = readdirSync(TRY_FINALLY_FIXTURES).filter((file) => /\.input\.\w+$/.test(file) && !file.startsWith('flow-'));
    expect(inputs.length).toBeGreaterThan(20);
    for (const file of inputs) expectSameSurvey(readFileSync(path.join(TRY_FINALLY_FIXTURES, file), 'utf8'), file);
  });
});

describe('where the tokens and the tree disagree', () => {
  it('the token survey refuses, and surveyLintedFile walks instead', () => {
    const code = '// stack of calls\nconst list = [];\n';
    const { program, source, linted } = parseWithEslint(code, 'odd.js');
    const at = code.indexOf('stack');
    // An identifier token the tree has no identifier for (a parser with odd token ranges).
    const tokens = [{ type: 'Identifier', value: 'stack', range: [at, at + 5] as [number, number] }, ...linted.tokens];
    const odd: LintedFile = { ...linted, tokens };
    expect(() => surveyFromTokens(program, source, odd)).toThrow();
    expect(canonical(surveyLintedFile(program, source, odd))).toEqual(canonical(surveyByWalk(program, source)));
  });
});
