import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { repoRoot } from './helpers.js';

// `npm run demo` (tools/demo.mjs, on the built dist/): lint reports of every rule over
// examples/ and a diff of the codemod, with examples/ left as they are.

const examples = path.join(repoRoot, 'examples');
const rules = readdirSync(path.join(repoRoot, 'rules')).map((file) => `ctx/${file.replace(/\.ts$/, '')}`);

function snapshotExamples(): Record<string, string> {
  return Object.fromEntries(readdirSync(examples).map((file) => [file, readFileSync(path.join(examples, file), 'utf8')]));
}

function runDemo(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = process.env;
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'tools/demo.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...rest, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run demo', () => {
  it('shows a report of every rule and a diff hunk of the codemod, and writes nothing under examples/', () => {
    const before = snapshotExamples();
    const run = runDemo({ NO_COLOR: '1' });
    expect(run.stderr).not.toContain('demo:');
    expect(run.status).toBe(0);
    expect(rules.length).toBeGreaterThanOrEqual(4);
    for (const rule of rules) expect(run.stdout, rule).toMatch(new RegExp(`\\berror\\b.*  ${rule}$`, 'm'));
    expect(run.stdout).toMatch(/^--- a\/examples\/copy-file\.ts\n\+\+\+ b\/examples\/copy-file\.ts\n@@ /m);
    expect(run.stdout).toMatch(/^\+ {2}using stack = new DisposableStack\(\);$/m);
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stderr).toMatch(/try-finally-to-using: \d+ files in/);
    expect(snapshotExamples()).toEqual(before);
  });

  it('colours the diff when asked to (FORCE_COLOR, or a terminal)', () => {
    const run = runDemo({ FORCE_COLOR: '1' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('\u001b[36m@@ ');
    expect(run.stdout).toContain('\u001b[32m+  using stack');
  });
});
