import { createRule } from '../lib/create-rule.js';

// Scaffold only: replaced by the real rule.
export default createRule({
  name: 'prefer-using',
  meta: {
    type: 'problem',
    docs: { description: 'Scaffold for prefer-using', recommended: false },
    messages: { scaffold: 'scaffold' },
    schema: [],
  },
  defaultOptions: [],
  create() {
    return {};
  },
});
