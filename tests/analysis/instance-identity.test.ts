import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { InstanceResolver } from '../../analysis/instance-identity.js';

/** Parse `code` with ESLint (scope manager included) and hand its SourceCode to `inspect`. */
function withSourceCode(code: string, filename: string, inspect: (sourceCode: Readonly<TSESLint.SourceCode>) => void): void {
  const linter = new Linter({ configType: 'flat' });
  let ran = false;
  const probe = {
    create(context: { sourceCode: unknown }) {
      return {
        'Program:exit'() {
          inspect(context.sourceCode as Readonly<TSESLint.SourceCode>);
          ran = true;
        },
      };
    },
  };
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.js', '**/*.ts'],
        languageOptions: filename.endsWith('.ts') ? { parser: tsParser as Linter.Parser } : { sourceType: 'module' },
        plugins: { probe: { rules: { probe: probe as never } } },
        rules: { 'probe/probe': 'error' },
      },
    ],
    filename,
  );
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  expect(ran).toBe(true);
}

/** Every identifier of the file, in source order. */
function identifiersOf(sourceCode: Readonly<TSESLint.SourceCode>): TSESTree.Identifier[] {
  const found: TSESTree.Identifier[] = [];
  const visit = (node: TSESTree.Node): void => {
    if (node.type === 'Identifier') found.push(node);
    for (const key of sourceCode.visitorKeys[node.type] ?? []) {
      const child: unknown = (node as unknown as Record<string, unknown>)[key];
      for (const item of Array.isArray(child) ? child : [child]) {
        if (item !== null && typeof item === 'object' && typeof (item as { type?: unknown }).type === 'string') visit(item as TSESTree.Node);
      }
    }
  };
  visit(sourceCode.ast);
  return found;
}

/** `name@offset → the variable's name and where it is declared` (or `none`). */
function answers(sourceCode: Readonly<TSESLint.SourceCode>, resolver: InstanceResolver, identifiers: readonly TSESTree.Identifier[]): string[] {
  return identifiers.map((identifier) => {
    const variable = resolver.variableOf(identifier);
    const declared = variable?.defs[0]?.name.range[0] ?? (variable ? 'implicit' : '');
    return `${identifier.name}@${identifier.range[0]} → ${variable ? `${variable.name}@${declared} (${variable.scope.type})` : 'none'}`;
  });
}

const javascript = `
import def, { named as local } from 'somewhere';
const Base = class Inner extends Object { m() { return Inner; } };
class Outer extends Base { constructor() { super(); this.value = Outer; } }
function shadow(value = local, arguments_) {
  var value2 = value;
  { let value = 2; label: for (const item of [value]) { if (item) break label; } }
  try { throw value2; } catch (value) { return value + arguments.length + arguments_; }
}
const f = function named() { return named; };
const object = { key: def, shadow, ['computed' + f]: 1, method() { return this.key; } };
object.key = undeclaredGlobal;
console.log(object.key, shadow(1), Outer, typeof missing);
export { shadow as renamed, object };
`;

const typescript = `
type Same = { a: number };
const Same = { a: 1 };
interface Merged { a: string }
class Merged { a = ''; }
enum Color { Red, Green = Red + 1 }
namespace Space { export const inner = Color.Green; }
function overloaded(x: string): void;
function overloaded(x: unknown): void { const Same: Same = { a: Number(x) }; void Same; }
function generic<T extends Same>(value: T): T { type Local = T; const local: Local = value; return local; }
class Field { static created = new Field(); prop: Same = Same; method(this: Field, param = this.prop) { return param; } }
const arrow = <U,>(u: U): U => u;
abstract class Shape { abstract area(): number; }
export { Same, Merged, Space, overloaded, generic, Field, arrow, Shape };
`;

describe('InstanceResolver.variableOf', () => {
  for (const [filename, code] of [
    ['file.js', javascript],
    ['file.ts', typescript],
  ] as const) {
    it(`answers by name what the index of every identifier answers (${filename})`, () => {
      withSourceCode(code, filename, (sourceCode) => {
        const identifiers = identifiersOf(sourceCode);
        expect(identifiers.length).toBeGreaterThan(50);
        const byName = answers(sourceCode, new InstanceResolver(sourceCode, Number.POSITIVE_INFINITY), identifiers);
        const indexed = answers(sourceCode, new InstanceResolver(sourceCode, 0), identifiers);
        expect(byName).toEqual(indexed);
        // Both kinds of answer occur: declared variables, and none.
        expect(byName.filter((answer) => answer.endsWith('none')).length).toBeGreaterThan(5);
        expect(byName.filter((answer) => !answer.endsWith('none')).length).toBeGreaterThan(30);
      });
    });
  }

  it('switches to the index once its lookups by name have spent their budget, with the same answers', () => {
    withSourceCode(javascript, 'file.js', (sourceCode) => {
      const identifiers = identifiersOf(sourceCode);
      const mixed = answers(sourceCode, new InstanceResolver(sourceCode, 2000), identifiers);
      expect(mixed).toEqual(answers(sourceCode, new InstanceResolver(sourceCode, 0), identifiers));
    });
  });
});
