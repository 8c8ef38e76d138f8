/**
 * Every rule's doc is checked against the rule and its examples are run through it, so the
 * docs cannot drift. Convention (docs/rules/*.md):
 * - line 1 `# ctx/<name>`; a blockquote line `> <meta.docs.description>`;
 * - sections `## Options` and `## When not to use it`;
 * - fenced examples with info string `ts ctx-valid`, `js ctx-invalid`, ...: a valid block gets
 *   no report; in an invalid block each reported line ends with `// ❌ <messageId>[, <id>...]`
 *   and the reports must be exactly those; `// ctx-options: <JSON>` sets the first option.
 */
import { existsSync, readFileSync } from 'node:fs';

import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import plugin from '../../index.js';

interface DocExample {
  kind: 'valid' | 'invalid';
  language: string;
  code: string;
  /** 1-based line of the block's first code line in the .md file, for failure messages. */
  docLine: number;
}

// A fence may be indented (an example inside a list item): its lines lose that indentation.
const EXAMPLE_FENCE = /^( *)```(\w+) ctx-(valid|invalid)\s*$/;

export function extractExamples(markdown: string): DocExample[] {
  const lines = markdown.split('\n');
  const examples: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = EXAMPLE_FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const indent = open[1] ?? '';
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== `${indent}\`\`\``) end++;
    if (end === lines.length) throw new Error(`unclosed example fence at line ${i + 1}`);
    examples.push({
      language: open[2] ?? 'js',
      kind: open[3] as DocExample['kind'],
      code: lines
        .slice(start, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n'),
      docLine: start + 1,
    });
    i = end;
  }
  return examples;
}

const MARKER = /\/\/\s*❌\s*(.+?)\s*$/;
const OPTIONS = /\/\/\s*ctx-options:\s*(.+)$/m;

/** `"<line>:<messageId>"` for every marked line of an example, sorted. */
export function expectedReports(code: string): string[] {
  return code
    .split('\n')
    .flatMap((text, index) => {
      const marker = MARKER.exec(text);
      if (!marker?.[1]) return [];
      return marker[1].split(',').map((id) => `${index + 1}:${id.trim()}`);
    })
    .sort();
}

function lintExample(ruleName: string, example: DocExample): Linter.LintMessage[] {
  const optionsLine = OPTIONS.exec(example.code);
  const options: unknown[] = optionsLine?.[1] ? [JSON.parse(optionsLine[1])] : [];
  const linter = new Linter({ configType: 'flat' });
  const filename = `file.${example.language === 'js' ? 'js' : example.language}`;
  return linter.verify(
    example.code,
    [
      {
        files: ['**/*.js', '**/*.ts', '**/*.tsx'],
        languageOptions: { parser: tsParser as Linter.Parser, sourceType: 'module', ecmaVersion: 'latest' },
        plugins: { ctx: plugin },
        rules: { [`ctx/${ruleName}`]: ['error', ...options] } as Linter.RulesRecord,
      },
    ],
    filename,
  );
}

const ruleNames = Object.keys(plugin.rules);

describe.each(ruleNames)('docs/rules/%s.md', (ruleName) => {
  const rule = plugin.rules[ruleName as keyof typeof plugin.rules];
  const docUrl = new URL(`../../docs/rules/${ruleName}.md`, import.meta.url);
  const markdown = existsSync(docUrl) ? readFileSync(docUrl, 'utf8') : '';

  it('exists', () => {
    expect(existsSync(docUrl), `docs/rules/${ruleName}.md is missing`).toBe(true);
  });

  it('has the rule name as its title and the rule description as its summary', () => {
    expect(markdown.split('\n')[0]).toBe(`# ctx/${ruleName}`);
    expect(markdown).toContain(`\n> ${rule.meta?.docs?.description}\n`);
    expect(rule.meta?.docs?.url).toMatch(new RegExp(`/docs/rules/${ruleName}\\.md$`));
  });

  it('documents its options and when not to use it', () => {
    expect(markdown).toMatch(/^## Options$/m);
    expect(markdown).toMatch(/^## When not to use it$/m);
  });

  const examples = extractExamples(markdown);

  it('has at least one valid and one invalid example', () => {
    expect(examples.filter((e) => e.kind === 'valid').length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.kind === 'invalid').length).toBeGreaterThan(0);
  });

  it.each(examples.map((e) => [`${e.kind} example at line ${e.docLine}`, e] as const))('%s', (_label, example) => {
    const messages = lintExample(ruleName, example);
    const fatal = messages.filter((m) => m.fatal);
    expect(fatal, 'the example must parse').toEqual([]);
    const actual = messages.map((m) => `${m.line}:${m.messageId ?? m.message}`).sort();
    if (example.kind === 'valid') {
      expect(actual).toEqual([]);
    } else {
      const expected = expectedReports(example.code);
      expect(expected.length, 'an invalid example marks its reported lines with // ❌ <messageId>').toBeGreaterThan(0);
      expect(actual).toEqual(expected);
    }
  });
});

describe('the docs example harness', () => {
  // The harness itself must be able to fail: a marker on the wrong line is a mismatch.
  it('reads markers and options from an example', () => {
    const code = 'a();\nb(); // ❌ first, second\n// ctx-options: {"x": true}';
    expect(expectedReports(code)).toEqual(['2:first', '2:second']);
    expect(OPTIONS.exec(code)?.[1]).toBe('{"x": true}');
  });

  it('extracts indented fences (inside a list item) without their indentation', () => {
    const md = ['- a limit:', '', '  ```js ctx-valid', '  if (a) {', '    b();', '  }', '  ```'].join('\n');
    expect(extractExamples(md)).toEqual([{ language: 'js', kind: 'valid', code: 'if (a) {\n  b();\n}', docLine: 4 }]);
  });

  it('extracts only ctx- fences', () => {
    const md = ['```js', 'plain();', '```', '```ts ctx-invalid', 'x();', '```', '```js ctx-valid', 'y();', '```'].join('\n');
    expect(extractExamples(md).map((e) => [e.kind, e.language, e.code, e.docLine])).toEqual([
      ['invalid', 'ts', 'x();', 5],
      ['valid', 'js', 'y();', 8],
    ]);
  });
});
