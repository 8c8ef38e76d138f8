import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import type { CodeOwner } from '../../analysis/global-output-async.js';
import { isFunctionNode, yieldPointsOf, YieldPoints } from '../../analysis/global-output-async.js';

/** What the rule collects (the nodes that may give way, as ESLint enters them), and every function. */
function collect(code: string): { sourceCode: Readonly<TSESLint.SourceCode>; yieldNodes: TSESTree.Node[]; owners: CodeOwner[] } {
  const linter = new Linter({ configType: 'flat' });
  const yieldNodes: TSESTree.Node[] = [];
  const owners: CodeOwner[] = [];
  let sourceCode: Readonly<TSESLint.SourceCode> | undefined;
  const probe = {
    create(context: { sourceCode: unknown }) {
      sourceCode = context.sourceCode as Readonly<TSESLint.SourceCode>;
      const note = (node: TSESTree.Node): void => {
        yieldNodes.push(node);
      };
      return {
        Program(node: TSESTree.Program) {
          owners.push(node);
        },
        ':function'(node: TSESTree.Node) {
          if (isFunctionNode(node)) owners.push(node);
        },
        AwaitExpression: note,
        YieldExpression: note,
        ForOfStatement(node: TSESTree.ForOfStatement) {
          if (node.await) note(node);
        },
        VariableDeclaration(node: TSESTree.VariableDeclaration) {
          if (node.kind === 'await using') note(node);
        },
      };
    },
  };
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tsParser as Linter.Parser }, plugins: { probe: { rules: { probe: probe as never } } }, rules: { 'probe/probe': 'error' } }],
    'file.ts',
  );
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  if (sourceCode === undefined) throw new Error('the probe rule did not run');
  return { sourceCode, yieldNodes, owners };
}

const code = `
await setup();
async function outer() {
  await one();
  const inner = async () => { await two(); for await (const x of source()) { await x; } };
  [1, 2].forEach(async (n) => { await n; });
  await using held = open();
  { await using scoped = open(); await three(scoped); }
  function* gen() { yield 1; yield* more(); }
  return inner;
}
for await (const line of lines()) { await line; }
class Box { async run() { await this.step(); } async step() { await outer(); } }
`;

describe('YieldPoints.firstBetween', () => {
  it('answers what a search of every yield point answers, for every function and offset range', () => {
    const { sourceCode, yieldNodes, owners } = collect(code);
    const all = yieldNodes.flatMap(yieldPointsOf);
    expect(all.length).toBeGreaterThan(12);
    const points = new YieldPoints(yieldNodes);
    const length = sourceCode.text.length;
    const offsets = [0, ...all.flatMap((point) => [point.offset - 1, point.offset, point.offset + 1]), length];
    let found = 0;
    for (const owner of owners) {
      for (const from of offsets) {
        for (const to of offsets) {
          if (to < from) continue;
          const expected = all.find((point) => point.owner === owner && point.offset >= from && point.offset < to);
          expect(points.firstBetween(owner, from, to)).toEqual(expected);
          if (expected) found++;
        }
      }
    }
    expect(found).toBeGreaterThan(100);
  });
});
