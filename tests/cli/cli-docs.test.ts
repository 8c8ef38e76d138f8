import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { codemods } from '../../codemods/index.js';
import { SUPPORTED_EXTENSIONS } from '../../codemods/cli/discovery.js';
import { ERROR_REASONS, SKIP_REASONS, WARNING_IDS } from '../../codemods/cli/report.js';
import { repoRoot, runMain } from './helpers.js';

// The CLI doc and the pre-commit hooks must not drift from the code.

const doc = readFileSync(path.join(repoRoot, 'docs/codemods/cli.md'), 'utf8');
const hooks = readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml'), 'utf8');

describe('docs/codemods/cli.md', () => {
  it('documents every option --help lists, in its options table', async () => {
    const help = (await runMain(['--help'], { cwd: repoRoot, transforms: codemods })).stdout;
    const options = [...help.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1]);
    expect(options).toContain('--no-gitignore');
    for (const option of options) expect(doc, option).toMatch(new RegExp(`^\\| \`(-\\w\`, \`)?${option}[\` ]`, 'm'));
  });

  it.each([...SKIP_REASONS.map((id) => ['skipped', id]), ...ERROR_REASONS.map((id) => ['error', id])])(
    'documents the %s reason %s',
    (status, id) => {
      expect(doc).toContain(`| ${status} | \`${id}\` |`);
    },
  );

  it.each(WARNING_IDS)('documents the warning %s, as the text summary prints it', (id) => {
    expect(doc).toContain(`warns (\`${id}\`)`);
    expect(doc).toContain(`warning (${id}): `);
  });

  it('documents the exit codes 0, 1 and 2', () => {
    for (const code of [0, 1, 2]) expect(doc).toMatch(new RegExp(`^\\| \`${code}\` \\| `, 'm'));
  });

  it('names every registered transform', () => {
    for (const name of Object.keys(codemods)) expect(doc).toContain(`\`${name}\``);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };

  it('runs the package bin with a registered transform, the check hook with --check', () => {
    const entries = [...hooks.matchAll(/^ {2}entry: (\S+) (\S+)(.*)$/gm)];
    expect(entries.map((entry) => entry[3]?.trim())).toEqual(['--check', '']);
    for (const [, bin, transform] of entries) {
      expect(packageJson.bin).toHaveProperty(bin as string);
      expect(codemods).toHaveProperty(transform as string);
    }
    expect(hooks).toContain('- id: ctx-codemod-check\n');
  });

  it("selects exactly the files the CLI can parse by its `files` regex", () => {
    const patterns = [...hooks.matchAll(/^ {2}files: '(.+)'$/gm)].map((match) => new RegExp(match[1] as string));
    // One pattern per hook (ctx-lint, ctx-codemod-check, ctx-codemod): ESLint lints the same files.
    expect(patterns).toHaveLength([...hooks.matchAll(/^- id: /gm)].length);
    for (const pattern of patterns) {
      for (const extension of SUPPORTED_EXTENSIONS) expect(`src/a.${extension}`).toMatch(pattern);
      for (const other of ['README.md', 'data.json', 'a.tsx.snap', 'style.css']) expect(other).not.toMatch(pattern);
    }
  });
});

describe("cli.md's plain jscodeshift section", () => {
  /** `--name` -> default, as the installed jscodeshift's own --help prints them. */
  function jscodeshiftDefaults(): Map<string, string> {
    const help = execFileSync(process.execPath, [path.join(repoRoot, 'node_modules/jscodeshift/bin/jscodeshift.js'), '--help'], {
      encoding: 'utf8',
    });
    const defaults = new Map<string, string>();
    for (const match of help.matchAll(/--(?:\(no-\))?([\w-]+)[^\n]*\n\s+\(default: ([^)\n]*(?:\)[^)\n]*)?)\)\n/g)) {
      defaults.set(`--${match[1]}`, match[2] as string);
    }
    return defaults;
  }

  it("states jscodeshift 17's real defaults", () => {
    const defaults = jscodeshiftDefaults();
    expect(defaults.get('--parser')).toBe('babel');
    const section = doc.slice(doc.indexOf('## Plain jscodeshift'), doc.indexOf('## Pre-commit'));
    const rows = [...section.matchAll(/^\| `(--[\w-]+)` \| `([^`]+)` \|/gm)];
    expect(rows.map((row) => row[1])).toEqual(['--extensions', '--parser', '--babel', '--cpus', '--gitignore', '--fail-on-error', '--dry', '--print']);
    for (const [, option, stated] of rows) expect(stated, option).toBe(defaults.get(option as string));
  });

  it('gives the same jscodeshift command as the README, and it names every extension ctx-codemod parses', () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const command = /^npx jscodeshift .+$/m.exec(doc)?.[0];
    expect(command).toBeDefined();
    expect(readme).toContain(`\`${command as string}\``);
    expect(command).toContain(`--extensions=${SUPPORTED_EXTENSIONS.join(',')} `);
    expect(command).toContain('--no-babel');
  });
});
