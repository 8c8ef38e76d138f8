// eslint-doc-generator: writes the README rules table and each rule doc's header from the rules'
// meta (configs, 🔧 fixable, 💡 suggestions, 💭 type information, ⚙️ options). `npm test` runs it
// with --check, so docs that drift from the rules fail the build; `npm run docs` rewrites them.
/** @type {import('eslint-doc-generator').GenerateOptions} */
export default {
  ruleDocTitleFormat: 'prefix-name',
  // The rule docs keep their own `> description` line and `## Options` section, which tests/docs checks.
  ruleDocSectionOptions: false,
  ruleDocNotices: ['deprecated', 'configs', 'fixableAndHasSuggestions', 'requiresTypeChecking', 'options'],
  ruleListColumns: ['name', 'description', 'configsError', 'fixable', 'hasSuggestions', 'requiresTypeChecking', 'options', 'deprecated'],
  configEmoji: [
    ['recommended', '✅'],
    ['recommended-type-checked', '☑️'],
    ['all', '🌐'],
  ],
};
