import { mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { CodemodRegistry, TransformSource } from '../../codemods/index.js';
import { main } from '../../codemods/cli/runner.js';
import type { CodemodIo } from '../../codemods/cli/runner.js';
import type { RunReport } from '../../codemods/cli/report.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const markTransformUrl = new URL('./__samples__/mark-transform.mjs', import.meta.url);

const markModule = (await import(markTransformUrl.href)) as { transformSource: TransformSource };

/**
 * The registry the in-process tests use: `mark` works in-process and in worker threads;
 * `mark-ds` is the same transform declared like try-finally-to-using (a text pre-check, a
 * skip-comment reason, converted code needing DisposableStack).
 */
export const testTransforms: CodemodRegistry = {
  mark: {
    description: 'test transform: CHANGE_ME -> CHANGED',
    transformSource: markModule.transformSource,
    moduleUrl: markTransformUrl.href,
  },
  'mark-ds': {
    description: 'test transform: mark, declared like try-finally-to-using',
    transformSource: markModule.transformSource,
    moduleUrl: markTransformUrl.href,
    mightMatch: /CHANGE_ME|REFUSE_ME|SKIP_ME|LONE_ME/,
    requestedSkipReasons: ['test-skip-comment'],
    requires: 'disposable-stack',
  },
};

/** A fresh directory under the system temp dir (real path, so reports are predictable). */
export function makeTempDir(prefix: string): string {
  return realpathSync(mkdtempSync(path.join(tmpdir(), `ctx-cli-${prefix}-`)));
}

export function removeDir(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}

/** Writes files under `root`; an old mtime makes an accidental rewrite visible. */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  const longAgo = new Date('2020-01-01T00:00:00Z');
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
    utimesSync(file, longAgo, longAgo);
  }
}

export interface CapturedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runMain(argv: string[], io: CodemodIo & { cwd: string }): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(argv, {
    transforms: testTransforms,
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    ...io,
  });
  return { exitCode, stdout, stderr };
}

/** Runs with --json and parses the single document that must be all of stdout. */
export async function runJson(argv: string[], io: CodemodIo & { cwd: string }): Promise<RunReport & { stderr: string; exit: number }> {
  const run = await runMain([...argv, '--json'], io);
  const report = JSON.parse(run.stdout) as RunReport;
  return { ...report, stderr: run.stderr, exit: run.exitCode };
}

/** Smallest case the transform exists for: one acquisition, one try, one close() in finally. */
export const CONVERTIBLE_SOURCE = `export function main() {
  const file = open('a');
  try {
    file.read();
  } finally {
    file.close();
  }
}
`;
