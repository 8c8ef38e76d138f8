import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The fixtures of a transform, as every codemod's test reads them from
// `__testfixtures__/<transform>/`: `<case>.input.<ext>`, and beside it `<case>.output.<ext>`
// (absent: the case must not change), `<case>.refusal.json` (the refusal ids, in order) and
// `<case>.options.json` (the transform's options).

export interface FixtureCase<Options = Record<string, unknown>> {
  name: string;
  inputFile: string;
  input: string;
  /** The expected output, or null for a case that must not change. */
  expected: string | null;
  /** The refusal ids the transform must report, in order. */
  refusals: string[];
  /** `<case>.options.json`: transform options (a twin rule gets them as its options too). */
  options: Options;
}

export const fixturesRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '__testfixtures__');

export function loadFixturePairs<Options = Record<string, unknown>>(transform: string): FixtureCase<Options>[] {
  const dir = path.join(fixturesRoot, transform);
  const cases: FixtureCase<Options>[] = [];
  for (const file of readdirSync(dir).sort()) {
    const match = /^(.+)\.input\.(\w+)$/.exec(file);
    if (!match) continue;
    const [, name, extension] = match as unknown as [string, string, string];
    const read = (suffix: string): string | null => {
      const at = path.join(dir, `${name}.${suffix}`);
      return existsSync(at) ? readFileSync(at, 'utf8') : null;
    };
    cases.push({
      name,
      inputFile: file,
      input: readFileSync(path.join(dir, file), 'utf8'),
      expected: read(`output.${extension}`),
      refusals: JSON.parse(read('refusal.json') ?? '[]') as string[],
      options: JSON.parse(read('options.json') ?? '{}') as Options,
    });
  }
  return cases;
}
