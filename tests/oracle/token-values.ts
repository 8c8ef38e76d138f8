// What a rewrite must never change: the text of every string, template literal, regular
// expression and comment, and the value of every JSX text. Read from Babel's token list (the
// parser the codemod uses), as a sorted multiset so that moved code still compares equal.

import { parse } from '@babel/parser';

import { dialectForPath, parserOptionsFor } from '../../analysis/try-finally-parse.js';

interface BabelToken {
  type: string | { label: string };
  value: unknown;
  start: number;
  end: number;
}

/** The JSX text a runtime sees: lines trimmed where they meet a newline, blank lines dropped (Babel's cleanJSXElementLiteralChild). */
function jsxTextValue(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/);
  const kept: string[] = [];
  lines.forEach((line, index) => {
    let text = line.replace(/\t/g, ' ');
    if (index > 0) text = text.replace(/^[ ]+/, '');
    if (index < lines.length - 1) text = text.replace(/[ ]+$/, '');
    if (text) kept.push(text);
  });
  return kept.join(' ');
}

/** Every string/template/regexp token's source text, every comment's text and every JSX text's value, sorted. */
export function tokenValues(source: string, filePath: string): string[] {
  const file = parse(source, { ...parserOptionsFor(dialectForPath(filePath), filePath), tokens: true }) as unknown as { tokens: BabelToken[] };
  const values: string[] = [];
  for (const token of file.tokens) {
    const label = typeof token.type === 'string' ? token.type : token.type.label;
    const text = source.slice(token.start, token.end);
    if (label === 'string' || label === 'template' || label === 'regexp') values.push(`${label} ${text}`);
    else if (label === 'CommentBlock' || label === 'CommentLine') values.push(`comment ${text}`);
    else if (label === 'jsxText') values.push(`jsxText ${jsxTextValue(text)}`);
  }
  return values.sort();
}
