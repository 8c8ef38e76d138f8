/**
 * Whether a file is a script that owns its process (or worker thread), decided from the file
 * alone: what it rebinds at its top level it rebinds in its own process, not in an importer's.
 *
 * - A file that starts with a shebang (`#!/usr/bin/env node`) is run, not imported.
 * - A file that exports nothing (no `export`, no `module.exports` / `exports` anywhere) and
 *   registers no tests (no top-level `describe` / `it` / `test` / hook call) has no importer to
 *   affect: a child-process fixture, a CLI script. A module imported only for its side effects
 *   (`import './quiet-console.js'`) looks the same, and is missed (see the doc's Limits).
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

/** Names a test file calls at its top level (`describe(…)`, `t.test(…)`, `Deno.test(…)`, `beforeEach(…)`). */
const TEST_REGISTRATION_NAMES = new Set([
  'describe',
  'suite',
  'context',
  'it',
  'test',
  'specify',
  'before',
  'beforeEach',
  'beforeAll',
  'after',
  'afterEach',
  'afterAll',
  'setup',
  'teardown',
  'suiteSetup',
  'suiteTeardown',
]);

export function ownsItsProcess(sourceCode: Readonly<TSESLint.SourceCode>): boolean {
  if (sourceCode.text.startsWith('#!')) return true;
  const program = sourceCode.ast;
  return !exportsSomething(program, sourceCode.scopeManager) && !program.body.some(registersTests);
}

function exportsSomething(program: TSESTree.Program, scopeManager: TSESLint.Scope.ScopeManager | null): boolean {
  const hasExportStatement = program.body.some(
    (statement) =>
      statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ||
      statement.type === AST_NODE_TYPES.ExportAllDeclaration ||
      statement.type === AST_NODE_TYPES.TSExportAssignment,
  );
  if (hasExportStatement) return true;
  // CommonJS: any mention of the module's own `exports` / `module` may export (a bundle's
  // wrapper, `Object.defineProperty(exports, …)`), so only a file that never names them is a script.
  const globalScope = scopeManager?.globalScope;
  if (!globalScope) return true;
  const mentions = (name: string): boolean => {
    const variable = globalScope.set.get(name);
    if (variable !== undefined && variable.defs.length === 0 && variable.references.length > 0) return true;
    return globalScope.through.some((reference) => reference.identifier.name === name);
  };
  return mentions('exports') || mentions('module');
}

/** A top-level statement that calls a test framework's registration (`describe(…)`, `await t.test(…)`). */
function registersTests(statement: TSESTree.ProgramStatement): boolean {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  let expression: TSESTree.Node = statement.expression;
  if (expression.type === AST_NODE_TYPES.AwaitExpression) expression = expression.argument;
  if (expression.type !== AST_NODE_TYPES.CallExpression) return false;
  // `describe.each(rows)('…', fn)`, `test.concurrent(…)`, `t.test(…)`: any name on the callee chain.
  for (let callee: TSESTree.Node = expression.callee; ; ) {
    if (callee.type === AST_NODE_TYPES.Identifier) return TEST_REGISTRATION_NAMES.has(callee.name);
    if (callee.type === AST_NODE_TYPES.CallExpression) callee = callee.callee;
    else if (callee.type === AST_NODE_TYPES.MemberExpression) {
      if (callee.property.type === AST_NODE_TYPES.Identifier && TEST_REGISTRATION_NAMES.has(callee.property.name)) {
        return true;
      }
      callee = callee.object;
    } else return false;
  }
}
