// Lints unpacked corpus packages with the built plugin (dist/) through ESLint's Node API and
// returns every report as `pkg@version/path:line rule messageId`. Shared by the real-code suite
// and the benchmarks.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';

import { sourceFiles } from './lib/corpus.mjs';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The plugin as built by `npm run build`: what users install. */
export async function loadBuiltPlugin() {
  const module = await import(path.join(REPO_ROOT, 'dist', 'index.js'));
  return module.default;
}

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'];

/**
 * Flat config for linting third-party code with the given rules: no config lookup, the
 * packages' own `eslint-disable` comments ignored (they would silence our rules and name
 * plugins we do not load), TypeScript through @typescript-eslint/parser.
 * @param {Record<string, unknown>} plugins
 * @param {import('eslint').Linter.RulesRecord} rules
 * @param {{ scriptJs?: boolean }} [options] parse `.js` as CommonJS scripts (for old packages
 *   whose sloppy-mode code, such as octal literals, does not parse as a module)
 */
export function corpusConfig(plugins, rules, { scriptJs = false } = {}) {
  return [
    { files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx', ...TS_FILES] },
    ...(scriptJs ? [{ files: ['**/*.js'], languageOptions: { sourceType: /** @type {const} */ ('commonjs') } }] : []),
    { plugins, rules, linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' } },
    { files: ['**/*.jsx', '**/*.tsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
    { files: TS_FILES, languageOptions: { parser: tsParser } },
  ];
}

/**
 * @param {{ name: string, version: string, dir: string, include?: string[] }[]} packages unpacked, from ensureCorpus
 * @param {string[]} ruleNames ctx rule names, without the `ctx/` prefix
 */
export async function lintCorpus(packages, ruleNames) {
  const plugin = await loadBuiltPlugin();
  const rules = Object.fromEntries(ruleNames.map((name) => [`ctx/${name}`, /** @type {const} */ ('error')]));
  /** @type {{ site: string, rule: string, messageId: string }[]} */
  const reports = [];
  /** @type {string[]} */
  const unparsable = [];
  let files = 0;
  for (const entry of packages) {
    const eslint = new ESLint({ cwd: entry.dir, overrideConfigFile: true, overrideConfig: corpusConfig({ ctx: plugin }, rules) });
    const names = sourceFiles(entry.dir, { include: entry.include });
    files += names.length;
    if (names.length === 0) continue;
    const results = await eslint.lintFiles(names.map((name) => path.join(entry.dir, name)));
    // ESLint parses `.js` as a module; a `.js` that fails so gets a second try as a script.
    const retry = results.filter((result) => result.filePath.endsWith('.js') && result.messages.some((message) => message.fatal));
    if (retry.length > 0) {
      const asScripts = new ESLint({
        cwd: entry.dir,
        overrideConfigFile: true,
        overrideConfig: corpusConfig({ ctx: plugin }, rules, { scriptJs: true }),
      });
      for (const result of await asScripts.lintFiles(retry.map((failed) => failed.filePath))) {
        if (!result.messages.some((message) => message.fatal)) results[results.findIndex((failed) => failed.filePath === result.filePath)] = result;
      }
    }
    for (const result of results) {
      const relative = path.relative(entry.dir, result.filePath).split(path.sep).join('/');
      const prefix = `${entry.name}@${entry.version}/${relative}`;
      for (const message of result.messages) {
        if (message.fatal) unparsable.push(`${prefix}:${message.line} ${message.message}`);
        else if (message.ruleId?.startsWith('ctx/'))
          reports.push({ site: `${prefix}:${message.line}`, rule: message.ruleId.slice(4), messageId: message.messageId ?? '?' });
      }
    }
  }
  return { reports, unparsable, files };
}
