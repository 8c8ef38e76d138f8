// The oracle's own sample pairs (tests/oracle/__samples__/): `<case>.input.ts`, its correct
// rewrite `<case>.output.ts`, and deliberately wrong rewrites `<case>.broken-<how>.ts` that the
// oracle must reject. They let the oracle be developed and tested without the transform.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLES_DIRECTORY = fileURLToPath(new URL('__samples__/', import.meta.url));

export interface SampleCase {
  name: string;
  fileName: string;
  input: string;
  output: string;
  broken: { how: string; source: string }[];
}

export function loadSamples(): SampleCase[] {
  const files = readdirSync(SAMPLES_DIRECTORY).sort();
  return files
    .filter((file) => file.endsWith('.input.ts'))
    .map((inputFile) => {
      const name = inputFile.slice(0, -'.input.ts'.length);
      const read = (file: string): string => readFileSync(join(SAMPLES_DIRECTORY, file), 'utf8');
      const broken = files
        .filter((file) => file.startsWith(`${name}.broken-`) && file.endsWith('.ts'))
        .map((file) => ({ how: file.slice(`${name}.broken-`.length, -'.ts'.length), source: read(file) }));
      return { name, fileName: inputFile, input: read(inputFile), output: read(`${name}.output.ts`), broken };
    });
}
