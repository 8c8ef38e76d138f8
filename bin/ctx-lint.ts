#!/usr/bin/env node
/**
 * `ctx-lint [--fix] <files…>`: ESLint with this plugin on the given files, for pre-commit's
 * `ctx-lint` hook and for lint-staged. Uses the repository's own `eslint.config.*` when there is
 * one (found from the current directory, as the `eslint` CLI finds it); otherwise lints with
 * `ctx.configs.recommended`, parsing TypeScript files with `@typescript-eslint/parser`.
 * Exit status: 0 clean (warnings allowed), 1 lint errors, 2 usage or configuration errors.
 */
import { register } from 'node:module';
import { parseArgs } from 'node:util';

import type { ESLint as ESLintClass, Linter } from 'eslint';

register('./resolve-fallback.js', import.meta.url);

const USAGE = 'usage: ctx-lint [--fix] <files…>';

async function defaultConfig(): Promise<Linter.Config[]> {
  const { default: ctx } = await import('../index.js');
  const { default: tsParser } = await import('@typescript-eslint/parser');
  return [
    ctx.configs.recommended,
    { name: 'ctx-lint/typescript', files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tsParser } },
    { name: 'ctx-lint/jsx', files: ['**/*.jsx'], languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } },
  ];
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { fix: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    process.stderr.write(`ctx-lint: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const files = parsed.positionals;
  if (files.length === 0) return 0;

  const { ESLint } = await import('eslint');
  const common = { cwd: process.cwd(), fix: parsed.values.fix, errorOnUnmatchedPattern: false, warnIgnored: false };
  const withUserConfig = new ESLint(common);
  const configFile = await withUserConfig.findConfigFile();
  const eslint: ESLintClass = configFile
    ? withUserConfig
    : new ESLint({ ...common, overrideConfigFile: true, overrideConfig: await defaultConfig() });

  let results;
  try {
    results = await eslint.lintFiles(files);
  } catch (error) {
    const where = configFile ? `with ${configFile}` : 'with the default config';
    process.stderr.write(
      `ctx-lint: ESLint failed ${where}: ${(error as Error).message}\n` +
        (configFile
          ? 'When the config imports packages that this environment lacks, install them in the repository ' +
            '(`npm install`) or list them in the hook\'s `additional_dependencies`.\n'
          : ''),
    );
    return 2;
  }
  if (parsed.values.fix) await ESLint.outputFixes(results);
  const formatter = await eslint.loadFormatter('stylish');
  const report = await formatter.format(results);
  if (report) process.stdout.write(report.endsWith('\n') ? report : `${report}\n`);
  return results.some((result) => result.errorCount > 0 || result.fatalErrorCount > 0) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
