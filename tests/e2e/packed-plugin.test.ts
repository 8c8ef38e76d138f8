/**
 * End to end: pack the plugin as npm would publish it, install the tarball with ESLint into a
 * throw-away project, and drive the real `eslint` CLI, with `--plugin ctx` and with a flat
 * config file. Also type-checks a user's `eslint.config.ts` against the packed typings.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const devDeps = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
}).devDependencies;

let project = '';

interface LintResult {
  filePath: string;
  messages: { ruleId: string | null; messageId?: string; line: number; fatal?: boolean; message: string }[];
}

function eslint(args: string[]): { results: LintResult[]; status: number | null; stderr: string } {
  const run = spawnSync(join(project, 'node_modules/.bin/eslint'), ['-f', 'json', ...args], {
    cwd: project,
    encoding: 'utf8',
  });
  if (!run.stdout.trim().startsWith('[')) throw new Error(`eslint printed no JSON: ${run.stdout}\n${run.stderr}`);
  return { results: JSON.parse(run.stdout) as LintResult[], status: run.status, stderr: run.stderr };
}

/** `file:line ruleId` for every report, relative to the project. */
const reportsOf = (results: LintResult[]): string[] =>
  results
    .flatMap((r) => r.messages.map((m) => `${r.filePath.slice(project.length + 1)}:${m.line} ${m.ruleId ?? `fatal: ${m.message}`}`))
    .sort();

const PATCH_NEVER_RESTORED = `export function silence() {
  process.stdout.write = () => true;
}
`;
const PLAIN_WRITE = `export function hello() {
  process.stdout.write('hello\\n');
}
`;
const TS_PATCH = `export function mute(): void {
  const original: typeof console.log = console.log;
  console.log = (): void => undefined;
  void original;
}
`;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'ctx-e2e-'));
  const tarball = basename(inject('packedTarball'));
  copyFileSync(inject('packedTarball'), join(project, tarball));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'ctx-e2e', private: true, type: 'module' }));
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      join(project, tarball),
      `eslint@${devDeps.eslint}`,
      `typescript@${devDeps.typescript}`,
    ],
    { cwd: project, stdio: 'pipe' },
  );
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src/silence.js'), PATCH_NEVER_RESTORED);
  writeFileSync(join(project, 'src/hello.js'), PLAIN_WRITE);
  writeFileSync(join(project, 'src/mute.ts'), TS_PATCH);
}, 300_000);

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed plugin', () => {
  it('ships dist and docs but not sources or tests', () => {
    const listing = execFileSync('tar', ['-tzf', join(project, readdirTarball())], { encoding: 'utf8' });
    expect(listing).toContain('package/dist/index.js');
    expect(listing).toContain('package/dist/index.d.ts');
    expect(listing).toContain('package/docs/rules/no-global-stdout-rebinding.md');
    expect(listing).toContain('package/dist/bin/ctx-lint.js');
    expect(listing).toContain('package/LICENSE');
    expect(listing).toContain('package/CHANGELOG.md');
    expect(listing).not.toMatch(/package\/(tests|rules|lib|tools)\//);
    expect(listing).not.toMatch(/\.tsbuildinfo|\.npmrc/);
    expect(listing).not.toMatch(/\.test\./);
  });

  it('reports through `eslint --plugin ctx --no-config-lookup --rule`', () => {
    const { results, status } = eslint([
      '--no-config-lookup',
      '--plugin',
      'ctx',
      '--rule',
      'ctx/no-global-stdout-rebinding: error',
      'src/',
    ]);
    expect(reportsOf(results)).toEqual(['src/silence.js:2 ctx/no-global-stdout-rebinding']);
    expect(status).toBe(1);
  });

  it('reports on TypeScript through the CLI with --parser', () => {
    const { results } = eslint([
      '--no-config-lookup',
      '--plugin',
      'ctx',
      '--parser',
      '@typescript-eslint/parser',
      '--ext',
      '.ts',
      '--rule',
      'ctx/no-global-stdout-rebinding: error',
      'src/mute.ts',
    ]);
    expect(reportsOf(results)).toEqual(['src/mute.ts:3 ctx/no-global-stdout-rebinding']);
  });

  it('reports through a flat config that uses ctx.configs.recommended', () => {
    writeFileSync(
      join(project, 'eslint.config.js'),
      `import tsParser from '@typescript-eslint/parser';
import ctx from 'eslint-plugin-ctx';

export default [
  ctx.configs.recommended,
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
];
`,
    );
    try {
      const { results } = eslint(['src/']);
      expect(reportsOf(results)).toEqual([
        'src/mute.ts:3 ctx/no-global-stdout-rebinding',
        'src/silence.js:2 ctx/no-global-stdout-rebinding',
      ]);
    } finally {
      rmSync(join(project, 'eslint.config.js'));
    }
  });

  it("type-checks a user's eslint.config.ts with defineConfig", () => {
    const dir = join(project, 'typed-config');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'eslint.config.ts'),
      `import { defineConfig } from 'eslint/config';
import ctx from 'eslint-plugin-ctx';

export default defineConfig([
  ctx.configs.recommended,
  ctx.configs['recommended-type-checked'],
  { plugins: { ctx }, rules: { 'ctx/no-global-stdout-rebinding': ['error', { allowModuleScope: true }] } },
]);
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: [] },
        files: ['eslint.config.ts'],
      }),
    );
    const tsc = spawnSync(join(project, 'node_modules/.bin/tsc'), ['-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 180_000);
});

describe('the packed codemods', () => {
  const CLEANUP_CHAIN = `export function read() {
  const file = open('file');
  try {
    return file.read();
  } finally {
    file.close();
  }
}
`;

  it('`ctx-codemod --check` exits 1 on a convertible file and changes nothing', () => {
    const dir = join(project, 'codemod-check');
    mkdirSync(dir);
    writeFileSync(join(dir, 'read.js'), CLEANUP_CHAIN);
    const run = spawnSync(join(project, 'node_modules/.bin/ctx-codemod'), ['try-finally-to-using', '--check', 'codemod-check'], {
      cwd: project,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(1);
    expect(readFileSync(join(dir, 'read.js'), 'utf8')).toBe(CLEANUP_CHAIN);
  });

  it('runs under plain jscodeshift from the installed dist, and the second run changes nothing', () => {
    const dir = join(project, 'codemod-jscodeshift');
    mkdirSync(dir);
    writeFileSync(join(dir, 'read.js'), CLEANUP_CHAIN);
    const jscodeshift = (): string => {
      const run = spawnSync(
        join(project, 'node_modules/.bin/jscodeshift'),
        ['-t', 'node_modules/eslint-plugin-ctx/dist/codemods/try-finally-to-using.js', 'codemod-jscodeshift/read.js'],
        // NO_COLOR: under CI=true jscodeshift's picocolors colours the counts read below.
        { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      );
      expect(run.status, run.stderr).toBe(0);
      return run.stdout;
    };
    expect(jscodeshift()).toMatch(/\b1 ok\b/);
    const rewritten = readFileSync(join(dir, 'read.js'), 'utf8');
    expect(rewritten).toContain('using stack = new DisposableStack()');
    // The transform returns undefined for an unchanged file, which jscodeshift counts as skipped.
    expect(jscodeshift()).toMatch(/\b0 ok\b/);
    expect(readFileSync(join(dir, 'read.js'), 'utf8')).toBe(rewritten);
  });
});

function readdirTarball(): string {
  const name = execFileSync('ls', [project], { encoding: 'utf8' })
    .split('\n')
    .find((file) => file.endsWith('.tgz'));
  if (!name) throw new Error('no tarball in the e2e project');
  return name;
}
