import { createRule } from '../lib/create-rule.js';

// Scaffold only: replaced by the real rule.
export default createRule({
  name: 'no-use-after-dispose',
  meta: {
    type: 'problem',
    docs: { description: 'Scaffold for no-use-after-dispose', recommended: true },
    messages: { scaffold: 'scaffold' },
    schema: [],
  },
  defaultOptions: [],
  create() {
    return {};
  },
});
