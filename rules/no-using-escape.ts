import type { TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

import { typeServicesOf, type TypeServices } from '../analysis/type-services.js';
import { findUsingEscapes, initializerNames, type EscapeForm, type EscapeTypeQueries } from '../analysis/using-escape.js';
import { createRule, withPrecheck } from '../lib/create-rule.js';

/** The first option as a user writes it; `defaultOptions` fills what is left out. */
export interface NoUsingEscapeOptions {
  allowTypes?: string[];
  allowFunctions?: string[];
}

export type NoUsingEscapeMessageId = EscapeForm;

const SCOPE_END = 'the end of its scope disposes it';

const rule = createRule<[NoUsingEscapeOptions], NoUsingEscapeMessageId>({
  name: 'no-using-escape',
  meta: {
    type: 'problem',
    docs: {
      description:
        'disallow a `using` / `await using` binding that outlives its scope: returned, yielded, stored outside or captured by a later callback',
      recommended: false,
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowTypes: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Type names (class, interface or alias, or a base of them) whose values may escape their `using` scope; needs type information.',
          },
          allowFunctions: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Functions, methods or constructors (`connect`, `pool.connect`, `Pool`) whose results may escape their `using` scope, and callees (`server.on`) whose callbacks may capture one.',
          },
        },
      },
    ],
    defaultOptions: [{ allowTypes: [], allowFunctions: [] }],
    messages: {
      returned: `\`{{name}}\` ({{kind}}, line {{line}}) is returned, but ${SCOPE_END} first: the caller gets a disposed value. Return what you read from it, or bind it with \`const\` and hand the caller its ownership (\`return stack.move()\`).`,
      yielded: `\`{{name}}\` ({{kind}}, line {{line}}) is yielded, and ${SCOPE_END} when the generator resumes: a consumer that keeps it past the next step (\`[...gen()]\`, \`Array.from\`) holds a disposed value. Yield what you read from it.`,
      assignedToOuter: `\`{{name}}\` ({{kind}}, line {{line}}) is assigned to \`{{target}}\`, which outlives the scope: ${SCOPE_END}, and \`{{target}}\` holds a disposed value.`,
      storedInField: `\`{{name}}\` ({{kind}}, line {{line}}) is stored in \`{{target}}\`, which outlives the scope: ${SCOPE_END}, and the field holds a disposed value.`,
      returnedPromise: `\`{{target}}()\` returns a promise that is not awaited before the end of the scope disposes \`{{name}}\` ({{kind}}, line {{line}}): the work still pending runs on a disposed value. Write \`return await …\`.`,
      closureReturned: `This function captures \`{{name}}\` ({{kind}}, line {{line}}) and is returned or yielded, so it runs after ${SCOPE_END}.`,
      closureStored: `This function captures \`{{name}}\` ({{kind}}, line {{line}}) and is stored in \`{{target}}\`, which outlives the scope: it runs after ${SCOPE_END}.`,
      closureExported: `Exported \`{{target}}\` captures \`{{name}}\` ({{kind}} at module level, line {{line}}): the module's evaluation ends, and disposes it, before an importer can call it.`,
      closureTimer: `The callback given to \`{{target}}\` captures \`{{name}}\` ({{kind}}, line {{line}}) and runs after ${SCOPE_END}. Await the work in the scope, or clear the timer before the scope ends.`,
      closureListener: `The listener given to \`{{target}}\` captures \`{{name}}\` ({{kind}}, line {{line}}): an event after the scope ends reaches a disposed value. Remove the listener in the scope (\`off\`, \`removeEventListener\`, an AbortSignal).`,
      closureContinuation: `The \`{{target}}\` callback captures \`{{name}}\` ({{kind}}, line {{line}}), and the scope does not await that promise: it runs after ${SCOPE_END}. Await the chain in the scope.`,
    },
  },
  defaultOptions: [{ allowTypes: [], allowFunctions: [] }],
  create(context, [options]) {
    const { sourceCode } = context;
    const allowedTypes = new Set(options.allowTypes ?? []);
    const allowedFunctions = new Set(options.allowFunctions ?? []);
    const services = typeServicesOf(context);
    const types = services && typeQueries(services);

    return {
      VariableDeclarator(declarator) {
        const declaration = declarator.parent;
        if (declaration.kind !== 'using' && declaration.kind !== 'await using') return;
        if (declarator.id.type !== 'Identifier') return;
        if (initializerNames(declarator.init).some((name) => allowedFunctions.has(name))) return;
        if (services && allowedTypes.size > 0 && typeNamesOf(services, declarator.id).some((name) => allowedTypes.has(name))) return;
        const data = { name: declarator.id.name, kind: `\`${declaration.kind}\``, line: declaration.loc.start.line };
        for (const escape of findUsingEscapes(sourceCode, declarator, types)) {
          if (escape.callee !== undefined && dottedNamesOfText(escape.callee).some((name) => allowedFunctions.has(name))) continue;
          context.report({ node: escape.node, loc: headOf(escape.node), messageId: escape.form, data: { ...data, target: escape.target } });
        }
      },
    };
  },
});

// A file without the word `using` has no `using` declaration; the check runs before the
// per-file option cloning of `RuleCreator`.
export default withPrecheck(rule, (context) => /\busing\b/u.test(context.sourceCode.text));

/** A function is reported on its head (up to the body), not across every line of it. */
function headOf(node: TSESTree.Node): TSESTree.SourceLocation {
  if (
    (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') &&
    node.body.loc.start.line > node.loc.start.line
  ) {
    return { start: node.loc.start, end: node.body.loc.start };
  }
  if ((node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration') && node.body.type === 'BlockStatement') {
    return { start: node.loc.start, end: { line: node.body.loc.start.line, column: node.body.loc.start.column + 1 } };
  }
  return node.loc;
}

/** `server.on` → `server.on`, `on`: the allow list names either. */
function dottedNamesOfText(text: string): string[] {
  const last = text.split('.').at(-1);
  return last !== undefined && last !== text ? [text, last] : [text];
}

function typeQueries(services: NonNullable<TypeServices>): EscapeTypeQueries {
  const checker = services.program.getTypeChecker();
  return {
    isThenable(node) {
      const type = services.getTypeAtLocation(node);
      return partsOf(type).some((part) => checker.getPropertyOfType(checker.getApparentType(part), 'then') !== undefined);
    },
  };
}

/** The names a type answers to: its own, its alias's, its union members' and its bases'. */
function typeNamesOf(services: NonNullable<TypeServices>, node: TSESTree.Node): string[] {
  const checker = services.program.getTypeChecker();
  const names: string[] = [];
  const seen = new Set<ts.Type>();
  const visit = (type: ts.Type): void => {
    if (seen.has(type)) return;
    seen.add(type);
    if (type.aliasSymbol) names.push(type.aliasSymbol.name);
    const symbol = type.getSymbol();
    if (symbol) names.push(symbol.name);
    for (const part of partsOf(type)) if (part !== type) visit(part);
    if (type.isClassOrInterface()) for (const base of checker.getBaseTypes(type)) visit(base);
    const target = (type as ts.TypeReference).target as ts.Type | undefined;
    if (target && target !== type) visit(target);
  };
  visit(services.getTypeAtLocation(node));
  return names;
}

function partsOf(type: ts.Type): ts.Type[] {
  return type.isUnion() || type.isIntersection() ? type.types : [type];
}
