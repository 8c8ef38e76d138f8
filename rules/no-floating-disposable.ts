import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { DisposableOwnership, type Fate } from '../analysis/disposable-ownership.js';
import { DisposableValues, type DisposableCreation, type DisposeProtocol } from '../analysis/disposable-values.js';
import { typeServicesOf } from '../analysis/type-services.js';
import { createRule, withPrecheck } from '../lib/create-rule.js';

/** The first option as a user writes it; `defaultOptions` fills what is left out. */
export interface NoFloatingDisposableOptions {
  disposables?: string[];
  nonOwningFunctions?: string[];
  callsTakeOwnership?: boolean;
}

export type NoFloatingDisposableMessageId =
  | 'floating'
  | 'floatingNoUsing'
  | 'discarded'
  | 'disposedOnSomePaths'
  | 'fieldNotDisposed'
  | 'useUsing'
  | 'useAwaitUsing';

/** Why a floating binding gets no `using` suggestion, as the message ends it. */
const NO_USING_REASONS = {
  captured: 'a closure captures it, and `using` would dispose it when the scope ends, maybe before the closure runs',
  reassigned: 'it is reassigned, and a `using` binding is constant',
  assigned: 'it is assigned to a variable declared elsewhere, not declared with its value',
  placement: 'a `using` declaration cannot stand here (a `var`, a `for` head, a `switch` case or a script\'s top level)',
  shared: 'its declaration declares other names too',
  asyncOutside: 'it is only async-disposable, and `await using` needs an async function or a module\'s top level',
  notDirect: 'its initializer is not the created value alone',
} as const;

/**
 * Without types a disposable is recognised only from `new DisposableStack()` / `new
 * AsyncDisposableStack()`, a class of the file with a dispose method, or a user-listed name, so
 * one of those must be in the text. With types any call may return one.
 */
const UNTYPED_CANDIDATE_TEXT = /DisposableStack|Symbol\.(?:dispose|asyncDispose)\b/u;

const rule = createRule<[NoFloatingDisposableOptions], NoFloatingDisposableMessageId>({
  name: 'no-floating-disposable',
  meta: {
    type: 'problem',
    docs: {
      description:
        'require a created disposable (a DisposableStack, an instance with `[Symbol.dispose]`) to be disposed or handed to an owner',
      recommended: false,
    },
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          disposables: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Extra constructor or factory names whose result is disposable: `new Name(…)`, `Name(…)`, `obj.Name(…)`, also without type information.',
          },
          nonOwningFunctions: {
            type: 'array',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
            description:
              'Functions that only look at a value passed to them and do not take ownership of it: a bare name (`expect`, matching `expect(…)` and `x.expect(…)`) or a dotted callee (`console.log`).',
          },
          callsTakeOwnership: {
            type: 'boolean',
            description:
              'A value passed to any function counts as handed to that function (default). false: only `using`, a stack\'s `use` / `adopt`, `return` / `yield` and a field its class disposes take ownership.',
          },
        },
      },
    ],
    defaultOptions: [{ disposables: [], nonOwningFunctions: [], callsTakeOwnership: true }],
    messages: {
      floating:
        '`{{name}}` holds {{what}} that is never disposed nor handed to an owner: bind it with `using`, dispose it in a `finally`, or hand it to a stack, a caller or a field its class disposes.',
      floatingNoUsing:
        '`{{name}}` holds {{what}} that is never disposed nor handed to an owner: dispose it in a `finally`, or hand it to a stack, a caller or a field its class disposes. No `using` suggestion: {{reason}}.',
      discarded:
        'This creates {{what}} and drops it{{where}}: nothing can dispose it. Bind it with `using`, or hand it to an owner.',
      disposedOnSomePaths:
        '`{{name}}` holds {{what}} that is disposed on some paths only (line {{line}}): a branch, a loop, a `catch` or an earlier `return` skips the disposal. Bind it with `using`, or dispose it in a `finally`.',
      fieldNotDisposed:
        'This stores {{what}} in `this.{{field}}`, but `{{className}}` never disposes that field: give `{{className}}` a `[Symbol.dispose]()` (or `dispose()` / `close()`) that disposes it.',
      useUsing: 'Declare `{{name}}` with `using`: it is disposed when the scope ends.',
      useAwaitUsing: 'Declare `{{name}}` with `await using`: it is disposed when the scope ends.',
    },
  },
  defaultOptions: [{ disposables: [], nonOwningFunctions: [], callsTakeOwnership: true }],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const types = typeServicesOf(context);
    const extraNames = new Set(options.disposables ?? []);
    const values = new DisposableValues(sourceCode, extraNames, types);
    // Collected first and recognised at the end: a class may be declared after its first `new`.
    const candidates: Array<TSESTree.NewExpression | TSESTree.CallExpression> = [];
    const classes: Array<TSESTree.ClassDeclaration | TSESTree.ClassExpression> = [];
    const tries: TSESTree.TryStatement[] = [];
    const thisMembers: TSESTree.MemberExpression[] = [];
    const consider = (node: TSESTree.NewExpression | TSESTree.CallExpression): void => {
      candidates.push(node);
    };
    const listeners: TSESLint.RuleListener = {
      NewExpression: consider,
      'ClassDeclaration, ClassExpression'(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression) {
        classes.push(node);
      },
      TryStatement(node) {
        if (node.finalizer) tries.push(node);
      },
      // Cheaper than an attribute selector on every MemberExpression.
      ThisExpression(node) {
        if (node.parent.type === AST_NODE_TYPES.MemberExpression && node.parent.object === node) thisMembers.push(node.parent);
      },
      'Program:exit'() {
        values.addClasses(classes);
        const creations: DisposableCreation[] = [];
        for (const node of candidates) {
          const creation = values.creationOf(node);
          if (creation) creations.push(creation);
        }
        if (creations.length === 0) return;
        const ownership = new DisposableOwnership(
          sourceCode,
          { callsTakeOwnership: options.callsTakeOwnership !== false, nonOwningFunctions: new Set(options.nonOwningFunctions ?? []) },
          tries,
          thisMembers,
        );
        for (const creation of creations) report(creation, ownership.fateOf(creation.node));
      },
    };
    // Calls are looked at only when a call can make a disposable: a listed factory, or any call with types.
    if (types || extraNames.size > 0) listeners.CallExpression = consider;
    return listeners;

    function report(creation: DisposableCreation, fate: Fate): void {
      const node = creation.node;
      const what = creation.description;
      switch (fate.kind) {
        case 'owned':
        case 'disposed':
          return;
        case 'discarded': {
          const call = node.parent.type === AST_NODE_TYPES.ExpressionStatement ? undefined : enclosingCall(node);
          const where = call ? ` after passing it to \`${sourceCode.getText(call.callee)}\`, which does not take ownership` : '';
          context.report({ node, messageId: 'discarded', data: { what, where } });
          return;
        }
        case 'disposedOnSomePaths':
          context.report({ node, messageId: 'disposedOnSomePaths', data: { name: nameOf(node), what, line: fate.at.loc.start.line } });
          return;
        case 'fieldNotDisposed':
          context.report({ node, messageId: 'fieldNotDisposed', data: { what, field: fate.field, className: fate.className } });
          return;
        case 'floating': {
          const name = fate.variable?.name ?? nameOf(node);
          const rewrite = usingRewrite(node, fate, creation.protocol);
          if (rewrite.kind === 'refused') {
            context.report({ node, messageId: 'floatingNoUsing', data: { name, what, reason: NO_USING_REASONS[rewrite.reason] } });
            return;
          }
          const { keyword, declaration } = rewrite;
          context.report({
            node,
            messageId: 'floating',
            data: { name, what },
            suggest: [
              {
                messageId: keyword === 'using' ? 'useUsing' : 'useAwaitUsing',
                data: { name },
                fix: (fixer) => fixer.replaceText(sourceCode.getFirstToken(declaration)!, keyword),
              },
            ],
          });
          return;
        }
      }
    }

    function usingRewrite(
      created: TSESTree.Node,
      fate: Extract<Fate, { kind: 'floating' }>,
      protocol: DisposeProtocol,
    ):
      | { kind: 'rewrite'; keyword: 'using' | 'await using'; declaration: TSESTree.VariableDeclaration }
      | { kind: 'refused'; reason: keyof typeof NO_USING_REASONS } {
      const refused = (reason: keyof typeof NO_USING_REASONS) => ({ kind: 'refused', reason }) as const;
      let outer = created;
      while (
        outer.parent &&
        (outer.parent.type === AST_NODE_TYPES.TSAsExpression || outer.parent.type === AST_NODE_TYPES.TSNonNullExpression || outer.parent.type === AST_NODE_TYPES.TSSatisfiesExpression)
      ) {
        outer = outer.parent;
      }
      const declarator = outer.parent;
      if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator) {
        return refused(declarator?.type === AST_NODE_TYPES.AssignmentExpression && declarator.right === outer ? 'assigned' : 'notDirect');
      }
      if (declarator.init !== outer) return refused('notDirect');
      const declaration = declarator.parent;
      if (fate.reassigned) return refused('reassigned');
      if (fate.captured) return refused('captured');
      const container = declaration.parent;
      const placeable =
        declaration.kind !== 'var' &&
        !declaration.declare &&
        (container.type === AST_NODE_TYPES.BlockStatement ||
          container.type === AST_NODE_TYPES.StaticBlock ||
          (container.type === AST_NODE_TYPES.Program && container.sourceType === 'module'));
      if (!placeable) return refused('placement');
      if (declaration.declarations.length !== 1) return refused('shared');
      const asyncContext = isAsyncContext(declaration);
      if (protocol === 'async' && !asyncContext) return refused('asyncOutside');
      const keyword = protocol === 'async' || (protocol === 'unknown' && asyncContext) ? 'await using' : 'using';
      return { kind: 'rewrite', keyword, declaration };
    }
  },
});

export default withPrecheck(rule, (context) => {
  if (context.sourceCode.parserServices?.program != null) return true;
  if (UNTYPED_CANDIDATE_TEXT.test(context.sourceCode.text)) return true;
  const extra = (context.options[0] as NoFloatingDisposableOptions | undefined)?.disposables ?? [];
  return extra.some((name) => context.sourceCode.text.includes(name));
});

/** The name the created value is bound to, for messages. */
function nameOf(node: TSESTree.Node): string {
  let outer = node;
  while (outer.parent && (outer.parent.type === AST_NODE_TYPES.TSAsExpression || outer.parent.type === AST_NODE_TYPES.TSNonNullExpression)) outer = outer.parent;
  const parent = outer.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.left.type === AST_NODE_TYPES.Identifier) return parent.left.name;
  return 'the value';
}

function enclosingCall(node: TSESTree.Node): TSESTree.CallExpression | TSESTree.NewExpression | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (current.type === AST_NODE_TYPES.CallExpression || current.type === AST_NODE_TYPES.NewExpression) return current;
    if (current.type !== AST_NODE_TYPES.AwaitExpression && current.type !== AST_NODE_TYPES.TSAsExpression && current.type !== AST_NODE_TYPES.ChainExpression) return undefined;
  }
  return undefined;
}

/** `await` is allowed here: an async function's body, or a module's top level. */
function isAsyncContext(node: TSESTree.Node): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (
      current.type === AST_NODE_TYPES.FunctionDeclaration ||
      current.type === AST_NODE_TYPES.FunctionExpression ||
      current.type === AST_NODE_TYPES.ArrowFunctionExpression
    ) {
      return current.async;
    }
    if (current.type === AST_NODE_TYPES.StaticBlock || current.type === AST_NODE_TYPES.PropertyDefinition) return false;
    if (current.type === AST_NODE_TYPES.Program) return current.sourceType === 'module';
  }
  return false;
}
