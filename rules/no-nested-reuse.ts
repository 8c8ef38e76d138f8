import { createRule } from '../lib/create-rule.js';

// Scaffold only: replaced by the real rule.
export default createRule({
  name: 'no-nested-reuse',
  meta: {
    type: 'problem',
    docs: { description: 'Scaffold for no-nested-reuse', recommended: true },
    messages: { scaffold: 'scaffold' },
    schema: [],
  },
  defaultOptions: [],
  create() {
    return {};
  },
});
