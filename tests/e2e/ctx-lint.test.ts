/**
 * The `ctx-lint` bin (dist/, built by `npm test` before vitest) in a folder of its own: the
 * default config when there is no `eslint.config.*`, the user's config when there is one, and
 * clear exits for bad usage and for a config that cannot load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { REPO } from './support.js';

const CTX_LINT = join(REPO, 'dist', 'bin', 'ctx-lint.js');
let dir = '';

const ctxLint = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const result = spawnSync(process.execPath, [CTX_LINT, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-lint-'));
  writeFileSync(join(dir, 'silence.js'), 'export function silence() {\n  process.stdout.write = () => true;\n}\n');
  writeFileSync(join(dir, 'mute.tsx'), 'export function mute(): JSX.Element {\n  console.log = (): void => undefined;\n  return <div />;\n}\n');
  writeFileSync(join(dir, 'hello.ts'), "export function hello(): void {\n  process.stdout.write('hello');\n}\n");
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('ctx-lint', () => {
  it('lints JS and TSX with the recommended config when the folder has no eslint.config.*', () => {
    const { status, stdout } = ctxLint('silence.js', 'mute.tsx', 'hello.ts');
    expect(status).toBe(1);
    expect(stdout).toMatch(/silence\.js\n\s+2:3\s+error .*ctx\/no-global-stdout-rebinding/);
    expect(stdout).toMatch(/mute\.tsx\n\s+2:3\s+error .*ctx\/no-global-stdout-rebinding/);
    expect(stdout).not.toContain('hello.ts');
  });

  it('exits 0 and prints nothing on clean files, and on no files at all', () => {
    expect(ctxLint('hello.ts')).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(ctxLint()).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it("uses the folder's eslint.config.js, resolving eslint-plugin-ctx from its own install", () => {
    writeFileSync(
      join(dir, 'eslint.config.js'),
      "import ctx from 'eslint-plugin-ctx';\nexport default [ctx.configs.recommended, { rules: { 'ctx/no-global-stdout-rebinding': 'warn' } }];\n",
    );
    const { status, stdout } = ctxLint('silence.js');
    expect(stdout).toMatch(/2:3\s+warning .*ctx\/no-global-stdout-rebinding/);
    expect(status).toBe(0);
  });

  it('names the config and the way out when the config imports a package nobody has', () => {
    writeFileSync(join(dir, 'eslint.config.js'), "import nothing from 'no-such-eslint-config-pkg';\nexport default [nothing];\n");
    const { status, stderr } = ctxLint('silence.js');
    expect(status).toBe(2);
    expect(stderr).toContain(`ctx-lint: ESLint failed with ${join(dir, 'eslint.config.js')}`);
    expect(stderr).toContain('no-such-eslint-config-pkg');
    expect(stderr).toContain('additional_dependencies');
  });

  it('rejects an unknown option with the usage line', () => {
    const { status, stderr } = ctxLint('--bogus', 'silence.js');
    expect(status).toBe(2);
    expect(stderr).toMatch(/ctx-lint: .*--bogus.*\nusage: ctx-lint \[--fix\] <files…>/);
  });
});
