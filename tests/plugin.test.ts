/**
 * Package integrity, in the manner of eslint-plugin-unicorn's package test: every rule is
 * registered, tested, documented, in the README table and in the right configs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import plugin from '../index.js';

const root = new URL('../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');
const packageJson = JSON.parse(read('package.json')) as { name: string; version: string };

const ruleFiles = readdirSync(new URL('rules/', root))
  .filter((file) => file.endsWith('.ts'))
  .map((file) => file.slice(0, -'.ts'.length));
const ruleNames = Object.keys(plugin.rules).sort();

interface RuleDocsFlags {
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}
const docsOf = (name: string): RuleDocsFlags =>
  (plugin.rules[name as keyof typeof plugin.rules].meta?.docs ?? {}) as RuleDocsFlags;

describe('plugin object', () => {
  it('has meta read from package.json', () => {
    expect(plugin.meta).toEqual({ name: packageJson.name, version: packageJson.version, namespace: 'ctx' });
  });

  it('registers every file in rules/ and nothing else', () => {
    expect(ruleNames).toEqual([...ruleFiles].sort());
  });

  it('ships the three named flat configs, each carrying the plugin', () => {
    expect(Object.keys(plugin.configs).sort()).toEqual(['all', 'recommended', 'recommended-type-checked']);
    for (const [name, config] of Object.entries(plugin.configs)) {
      expect(config.name).toBe(`ctx/${name}`);
      expect(config.plugins?.ctx).toBe(plugin);
    }
  });

  it('puts each rule in the configs its meta asks for', () => {
    const enabled = (config: keyof typeof plugin.configs): string[] =>
      Object.keys(plugin.configs[config].rules ?? {}).sort();
    expect(enabled('all')).toEqual(ruleNames.map((name) => `ctx/${name}`));
    expect(enabled('recommended')).toEqual(
      ruleNames.filter((n) => docsOf(n).recommended && !docsOf(n).requiresTypeChecking).map((n) => `ctx/${n}`),
    );
    expect(enabled('recommended-type-checked')).toEqual(
      ruleNames.filter((n) => docsOf(n).recommended).map((n) => `ctx/${n}`),
    );
    for (const config of Object.values(plugin.configs)) {
      expect(new Set(Object.values(config.rules ?? {}))).toEqual(new Set(['error']));
    }
  });

  it('sets up typed parsing of TypeScript files in recommended-type-checked, and parsing nowhere else', () => {
    const typed = plugin.configs['recommended-type-checked'];
    expect(typed.files).toEqual(['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts']);
    expect((typed.languageOptions?.parser as { meta?: { name?: string } } | undefined)?.meta?.name).toBe('typescript-eslint/parser');
    expect(typed.languageOptions?.parserOptions).toEqual({ projectService: true });
    for (const name of ['recommended', 'all'] as const) {
      expect(plugin.configs[name].files).toBeUndefined();
      expect(plugin.configs[name].languageOptions).toBeUndefined();
    }
  });
});

describe.each(ruleNames)('rule %s', (name) => {
  const rule = plugin.rules[name as keyof typeof plugin.rules];

  it('has a test file and a doc', () => {
    expect(existsSync(new URL(`tests/rules/${name}.test.ts`, root))).toBe(true);
    expect(existsSync(new URL(`docs/rules/${name}.md`, root))).toBe(true);
  });

  it('declares type, description, messages, schema and defaults', () => {
    expect(['problem', 'suggestion', 'layout']).toContain(rule.meta?.type);
    expect(rule.meta?.docs?.description).toMatch(/^(enforce|require|disallow)\b/i);
    expect(Object.keys(rule.meta?.messages ?? {}).length).toBeGreaterThan(0);
    expect(rule.meta?.schema).toBeDefined();
  });

  it('is listed in the generated README rules table, linking its doc', () => {
    // The cells (configs, 🔧, 💡, 💭, ⚙️) are eslint-doc-generator's, checked by `npm run docs:check`.
    const readme = read('README.md');
    const list = readme.slice(readme.indexOf('<!-- begin auto-generated rules list -->'), readme.indexOf('<!-- end auto-generated rules list -->'));
    expect(list).toMatch(new RegExp(`^\\| \\[${name}\\]\\(docs/rules/${name}\\.md\\) +\\|`, 'm'));
  });

  it('has the generated header in its doc', () => {
    const doc = read(`docs/rules/${name}.md`);
    expect(doc.startsWith(`# ctx/${name}\n`)).toBe(true);
    expect(doc).toContain('<!-- end auto-generated rule header -->');
  });
});

describe('codemods', () => {
  const transforms = readdirSync(new URL('codemods/', root))
    .filter((file) => file.endsWith('.ts') && !['index.ts', 'cli.ts'].includes(file))
    .map((file) => file.slice(0, -'.ts'.length));

  it.each(transforms)('%s has a doc and is listed in the README', (name) => {
    expect(existsSync(new URL(`docs/codemods/${name}.md`, root))).toBe(true);
    expect(read('README.md')).toContain(`(docs/codemods/${name}.md)`);
  });
});
