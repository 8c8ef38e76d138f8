/**
 * In-file call resolution for the global-output analysis: which calls of this file invoke a
 * given function (or construct a given class) through its name, and where its name is handed
 * to another call as a callback.
 *
 * Every question `no-global-stdout-rebinding` asks about calls goes through this module, so
 * that it can be switched over to the plugin's shared call graph (`analysis/call-graph.ts`)
 * in one place.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;
type Invocation = TSESTree.CallExpression | TSESTree.NewExpression;

/**
 * The identifiers that refer to a function or class of this file by its name. A declaration
 * names itself; an expression is named by the `const`/`let` declarator it initialises;
 * anything else has no name to follow.
 */
function referencesByName(
  sourceCode: Readonly<TSESLint.SourceCode>,
  declared: FunctionNode | TSESTree.ClassDeclaration | TSESTree.ClassExpression,
): TSESTree.Identifier[] {
  const nameHolder =
    declared.type === AST_NODE_TYPES.FunctionDeclaration || declared.type === AST_NODE_TYPES.ClassDeclaration
      ? declared
      : declared.parent.type === AST_NODE_TYPES.VariableDeclarator && declared.parent.init === declared
        ? declared.parent
        : null;
  if (nameHolder?.id?.type !== AST_NODE_TYPES.Identifier) return [];
  const name = nameHolder.id.name;
  const variable = sourceCode.getDeclaredVariables(nameHolder).find((candidate) => candidate.name === name);
  return (variable?.references ?? []).map((reference) => reference.identifier as TSESTree.Identifier);
}

/** Where a function or class of this file is invoked through its name (`name(…)` or `new Name(…)`, by `kind`). */
export function invocationsByName<Kind extends AST_NODE_TYPES.CallExpression | AST_NODE_TYPES.NewExpression>(
  sourceCode: Readonly<TSESLint.SourceCode>,
  declared: FunctionNode | TSESTree.ClassDeclaration | TSESTree.ClassExpression,
  kind: Kind,
): Extract<Invocation, { type: Kind }>[] {
  return referencesByName(sourceCode, declared).flatMap((identifier) => {
    const invocation = identifier.parent;
    return invocation.type === kind && (invocation as Invocation).callee === identifier
      ? [invocation as Extract<Invocation, { type: Kind }>]
      : [];
  });
}

/** The calls of this file that invoke `fn` by its name. */
export function inFileCallsOf(sourceCode: Readonly<TSESLint.SourceCode>, fn: FunctionNode): TSESTree.CallExpression[] {
  return invocationsByName(sourceCode, fn, AST_NODE_TYPES.CallExpression);
}

/** The references of this file that hand `fn` by its name to a call (`afterEach(reset)`). */
export function inFileCallbackPassesOf(
  sourceCode: Readonly<TSESLint.SourceCode>,
  fn: FunctionNode,
): TSESTree.Identifier[] {
  return referencesByName(sourceCode, fn).filter((identifier) => {
    const parent = identifier.parent;
    return parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(identifier);
  });
}
