import { createRule } from '../lib/create-rule.js';

// Scaffold only: the real rule replaces this file (issue 2).
export default createRule({
  name: 'no-global-stdout-rebinding',
  meta: {
    type: 'problem',
    docs: { description: 'Disallow rebinding process-wide output', recommended: true },
    messages: { neverRestored: 'x' },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    return {
      'AssignmentExpression > MemberExpression.left[object.object.name="process"][object.property.name="stdout"][property.name="write"]'(node: import('@typescript-eslint/utils').TSESTree.MemberExpression) {
        context.report({ node, messageId: 'neverRestored' });
      },
    };
  },
});
