// Discovery of the executable fixture pairs of the try-finally-to-using codemod
// (tests/codemods/__testfixtures__/try-finally-to-using/, written by the transform's author;
// the layout is fixed in the codemod interface): `<case>.input.<ext>` with an optional
// `<case>.output.<ext>`; executable when the input exports a parameterless `main`.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './engines.js';

export const TRY_FINALLY_FIXTURES = join(REPO_ROOT, 'tests', 'codemods', '__testfixtures__', 'try-finally-to-using');

const MAIN_EXPORT = /\bexport\s+(?:async\s+)?function\s+main\s*\(\s*\)/;
const FIXTURE_FILE = /^(?<name>.+)\.(?<role>input|output)\.(?<extension>[cm]?[jt]sx?)$/;

export interface FixtureCase {
  name: string;
  /** The input's file name (its extension decides how the engines compile both versions). */
  fileName: string;
  input: string;
  /** Absent for a no-change fixture. */
  output: string | undefined;
}

export interface FixtureDiscovery {
  executable: FixtureCase[];
  /** Cases without `export function main()`: not executable, listed for the record. */
  notExecutable: string[];
  /** Layout mistakes (an output without its input, an output that lost `main`). */
  problems: string[];
}

export function isExecutableSource(source: string): boolean {
  return MAIN_EXPORT.test(source);
}

export function discoverFixtures(directory: string = TRY_FINALLY_FIXTURES): FixtureDiscovery {
  const discovery: FixtureDiscovery = { executable: [], notExecutable: [], problems: [] };
  if (!existsSync(directory)) return discovery;
  const files = readdirSync(directory).sort();
  for (const file of files) {
    const match = FIXTURE_FILE.exec(file);
    if (!match?.groups) continue;
    const { name, role, extension } = match.groups as { name: string; role: string; extension: string };
    if (role === 'output') {
      if (!files.includes(`${name}.input.${extension}`)) discovery.problems.push(`${file} has no ${name}.input.${extension}`);
      continue;
    }
    const input = readFileSync(join(directory, file), 'utf8');
    const outputFile = `${name}.output.${extension}`;
    const output = files.includes(outputFile) ? readFileSync(join(directory, outputFile), 'utf8') : undefined;
    if (!isExecutableSource(input)) {
      discovery.notExecutable.push(name);
      continue;
    }
    if (output !== undefined && !isExecutableSource(output)) {
      discovery.problems.push(`${outputFile} lost the \`export function main()\` of its input`);
      continue;
    }
    discovery.executable.push({ name, fileName: file, input, output });
  }
  return discovery;
}
