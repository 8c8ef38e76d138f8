import { RuleTester } from '@typescript-eslint/rule-tester';

import rule from '../../rules/no-global-stdout-rebinding.js';

const ruleTester = new RuleTester();

ruleTester.run('no-global-stdout-rebinding', rule, {
  valid: ['process.stdout.write("x")'],
  invalid: [{ code: 'process.stdout.write = () => true', errors: [{ messageId: 'neverRestored' }] }],
});
