/**
 * Vitest global setup: packs the plugin once, as npm would publish it (`npm pack` runs the
 * `prepare` build), for every end-to-end test that installs it. One pack per run: several test
 * files packing side by side would run `prepare` (tsc into dist/) concurrently.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the packed eslint-plugin-ctx tarball. */
    packedTarball: string;
  }
}

export default function setup(project: TestProject): () => void {
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const destination = mkdtempSync(join(tmpdir(), 'ctx-packed-'));
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: repo,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const filename = (JSON.parse(output) as { filename: string }[])[0]?.filename;
  if (!filename) throw new Error(`npm pack printed no file name: ${output}`);
  project.provide('packedTarball', join(destination, filename));
  return () => rmSync(destination, { recursive: true, force: true });
}
