// Self-lint: typescript-eslint over the project, eslint-plugin-eslint-plugin over the rules
// and their tests, and the plugin's own `recommended` config over all of our code
// (dog-fooding; it is loaded from dist/, so `npm run lint` builds first).
import js from '@eslint/js';
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

import ctx from './dist/index.js';

export default defineConfig([
  globalIgnores([
    'dist/',
    'coverage/',
    '.cache/',
    'tools/node24/node_modules/',
    // Codemod fixtures are inputs and expected outputs, not project code.
    'tests/**/__testfixtures__/',
    'tests/**/__samples__/',
    'tests/fixtures/',
    // Programs that show the rules' problems on purpose; `npm run demo` lints them with every rule.
    'examples/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'project/node-globals',
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    name: 'project/rules',
    files: ['rules/**/*.ts'],
    extends: [eslintPlugin.configs.rules],
    rules: {
      // createRule (RuleCreator) sets meta.docs.url; tests/plugin.test.ts checks each doc exists.
      'eslint-plugin/require-meta-docs-url': 'off',
      // typescript-eslint 8's RuleMetaData type has no `languages`; every rule targets JS/TS.
      'eslint-plugin/require-meta-languages': 'off',
    },
  },
  {
    name: 'project/rule-tests',
    files: ['tests/rules/**/*.ts'],
    extends: [eslintPlugin.configs.tests],
    rules: {
      // Positions are asserted where they carry meaning (representative cases), not on every error.
      'eslint-plugin/require-test-error-positions': 'off',
    },
  },
  {
    name: 'project/unused',
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ctx.configs.recommended,
]);
