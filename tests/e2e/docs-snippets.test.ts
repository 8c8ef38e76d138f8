/**
 * Docs that work verbatim: every configuration snippet of README.md and docs/ is copied into a
 * throw-away project that has the packed plugin installed, and run as written with the real
 * `eslint` CLI, once with ESLint 10 (the devDependency) and once with ESLint 9.
 * - a ```js / ```ts block with `export default` is a whole config file; its first line names
 *   the file (`// eslint.config.js`). It must lint the project's JavaScript and TypeScript
 *   files; a config with `recommended-type-checked` must also report what only types show.
 * - a ```sh line starting with `npx eslint` runs as it is, and must report.
 * - a ```json block of `ctx/…` rule settings must be accepted by ESLint on top of `recommended`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { devDependencyVersion, REPO, run } from './support.js';

interface Snippet {
  source: string;
  language: string;
  code: string;
}

function snippetsOf(file: string): Snippet[] {
  const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)\s*$/.exec(lines[i] ?? '');
    if (!open?.[1]) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    found.push({ source: `${file}:${i + 2}`, language: open[1], code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return found;
}

const markdownFiles = (dir: string): string[] =>
  readdirSync(join(REPO, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? markdownFiles(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
  );

const allSnippets = ['README.md', ...markdownFiles('docs')].flatMap(snippetsOf);
const configFiles = allSnippets.filter((s) => ['js', 'ts', 'mjs'].includes(s.language) && /^export default\b/m.test(s.code));
const cliLines = allSnippets
  .filter((s) => s.language === 'sh')
  .flatMap((s) => s.code.split('\n').filter((line) => line.startsWith('npx eslint ')).map((line) => ({ ...s, code: line })));
const ruleSettings = allSnippets.filter((s) => s.language === 'json' && /^\{\s*"ctx\//.test(s.code));

const SOURCES: Record<string, string> = {
  'src/silence.js': `export function silence() {
  process.stdout.write = () => true;
}
`,
  'src/mute.ts': `export function mute(): void {
  console.log = (): void => undefined;
}
`,
  // The Mutex comes from a factory in another file: only the type tells the rule what it is.
  'src/locks.ts': `import { Mutex } from 'async-mutex';

export function createMutex(): Mutex {
  return new Mutex();
}
`,
  'src/account.ts': `import { createMutex } from './locks.js';

export class Account {
  lock = createMutex();
  async audit(): Promise<void> {
    const release = await this.lock.acquire();
    await this.lock.acquire();
    release();
  }
}
`,
};
const UNTYPED_REPORTS = ['src/mute.ts:2 ctx/no-global-stdout-rebinding', 'src/silence.js:2 ctx/no-global-stdout-rebinding'];
const TYPE_ONLY_REPORT = 'src/account.ts:7 ctx/no-nested-reuse';

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; line: number; message: string }[];
}

const tarball = inject('packedTarball');

it('finds the snippets it promises to run', () => {
  expect(configFiles.length).toBeGreaterThanOrEqual(3);
  expect(configFiles.some((s) => s.code.includes("ctx.configs['recommended-type-checked']"))).toBe(true);
  expect(configFiles.some((s) => s.code.startsWith('// eslint.config.ts'))).toBe(true);
  expect(cliLines.length).toBeGreaterThanOrEqual(2);
  expect(ruleSettings.length).toBeGreaterThanOrEqual(1);
  for (const snippet of configFiles) expect(snippet.code, snippet.source).toMatch(/^\/\/ eslint\.config\.(js|mjs|ts)\n/);
});

describe.each([
  ['10', devDependencyVersion('eslint')],
  ['9', '9.39.5'],
])('with ESLint %s', (_major, eslintVersion) => {
  let project = '';

  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'ctx-docs-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ctx-docs', private: true, type: 'module' }));
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        tarball,
        `eslint@${eslintVersion}`,
        `typescript-eslint@${devDependencyVersion('typescript-eslint')}`,
        `typescript@${devDependencyVersion('typescript')}`,
        'jiti@2.7.0',
        'async-mutex@0.5.0',
      ],
      { cwd: project },
    );
    mkdirSync(join(project, 'src'));
    for (const [name, text] of Object.entries(SOURCES)) writeFileSync(join(project, name), text);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM', 'esnext.disposable'], module: 'nodenext', strict: true, noEmit: true, types: [] },
        include: ['src'],
      }),
    );
  }, 300_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  const lint = (args: string[]): { reports: string[]; status: number | null; output: string } => {
    const result = spawnSync(join(project, 'node_modules/.bin/eslint'), ['-f', 'json', ...args], { cwd: project, encoding: 'utf8' });
    const output = `${result.stdout}\n${result.stderr}`;
    if (!result.stdout.trim().startsWith('[')) return { reports: [], status: result.status, output };
    const reports = (JSON.parse(result.stdout) as LintResult[])
      .flatMap((r) => r.messages.map((m) => `${relative(project, r.filePath)}:${m.line} ${m.ruleId ?? `fatal: ${m.message}`}`))
      .sort();
    return { reports, status: result.status, output };
  };

  const withConfig = <T>(name: string, code: string, body: () => T): T => {
    for (const old of ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.ts']) rmSync(join(project, old), { force: true });
    writeFileSync(join(project, name), code);
    try {
      return body();
    } finally {
      rmSync(join(project, name));
    }
  };

  it.each(configFiles.map((s) => [s.source, s] as const))('config snippet %s lints JS and TS files', (_source, snippet) => {
    const name = /^\/\/ (eslint\.config\.\w+)/.exec(snippet.code)?.[1] ?? 'eslint.config.js';
    const { reports, output } = withConfig(name, `${snippet.code}\n`, () => lint(['src/']));
    const typed = snippet.code.includes('recommended-type-checked');
    expect(reports, output).toEqual([...(typed ? [TYPE_ONLY_REPORT] : []), ...UNTYPED_REPORTS].sort());
  }, 120_000);

  it.each(cliLines.map((s) => [s.code, s] as const))('command line `%s` runs as written and reports', (_line, snippet) => {
    for (const old of ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.ts']) rmSync(join(project, old), { force: true });
    const result = spawnSync('sh', ['-c', snippet.code], { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(1);
    const file = snippet.code.includes('--ext .ts') ? 'mute.ts' : 'silence.js';
    expect(result.stdout).toContain(join(project, 'src', file));
    expect(result.stdout).toContain('ctx/no-global-stdout-rebinding');
  }, 120_000);

  it.each(ruleSettings.map((s) => [s.source, s] as const))('rule settings %s are accepted', (_source, snippet) => {
    const config = `import ctx from 'eslint-plugin-ctx';\n\nexport default [ctx.configs.recommended, { rules: ${snippet.code} }];\n`;
    const { reports, status, output } = withConfig('eslint.config.js', config, () => lint(['src/silence.js']));
    expect(reports, output).toEqual(['src/silence.js:2 ctx/no-global-stdout-rebinding']);
    expect(status).toBe(1);
  }, 120_000);
});

it('points every pre-commit config snippet at this repository and at hooks it declares', () => {
  const hooksFile = readFileSync(join(REPO, '.pre-commit-hooks.yaml'), 'utf8');
  const declared = new Set([...hooksFile.matchAll(/^- id: (\S+)$/gm)].map((match) => match[1]));
  const repository = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { repository: { url: string } }).repository.url
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
  const configs = allSnippets.filter((s) => s.language === 'yaml' && /^repos:/m.test(s.code));
  expect(configs.length).toBeGreaterThanOrEqual(1);
  for (const snippet of configs) {
    expect(snippet.code, snippet.source).toContain(`- repo: ${repository}\n`);
    const used = [...snippet.code.matchAll(/^\s*(?:#\s*)?- id: ([\w-]+)/gm)].map((match) => match[1]);
    expect(used.length, snippet.source).toBeGreaterThan(0);
    for (const id of used) expect(declared, `${snippet.source} uses hook ${id}`).toContain(id);
  }
});
