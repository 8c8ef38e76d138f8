// Every executable fixture of scope-stdout-rebinding (its input exports `main(fail)`), input and
// output run on native Node 24 and on the test Node, without and with a throw in the patched
// work; the contract is tests/oracle/scope-stdout.ts (docs/codemods/scope-stdout-rebinding.md).
// Two deliberately broken outputs show that the oracle can fail.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import type { ScopeProgram, ScopeRuns } from '../oracle/scope-stdout.js';
import { judgeScopeRuns, runScopePrograms } from '../oracle/scope-stdout.js';

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '__testfixtures__', 'scope-stdout-rebinding');
const MAIN = /\bexport\s+function\s+main\s*\(\s*fail\b/;

const fixtures: ScopeProgram[] = readdirSync(fixturesDir)
  .sort()
  .flatMap((file) => {
    const match = /^(.+)\.input\.(\w+)$/.exec(file);
    if (!match) return [];
    const input = readFileSync(path.join(fixturesDir, file), 'utf8');
    if (!MAIN.test(input)) return [];
    const outputFile = path.join(fixturesDir, `${match[1]}.output.${match[2]}`);
    let output: string | undefined;
    try {
      output = readFileSync(outputFile, 'utf8');
    } catch {
      output = undefined;
    }
    return [{ id: match[1]!, fileName: file, versions: output === undefined ? { input, output: input } : { input, output } }];
  });

const consoleLog = fixtures.find((fixture) => fixture.id === 'console-log')!;
const broken: ScopeProgram[] = [
  // The restore dropped: console.log stays captured even without a throw.
  { id: 'broken-no-restore', fileName: consoleLog.fileName, versions: { input: consoleLog.versions['input']!, output: consoleLog.versions['input']!.replace('  console.log = original;\n', '') } },
  // The work changed: it prints something else.
  { id: 'broken-output', fileName: consoleLog.fileName, versions: { input: consoleLog.versions['input']!, output: consoleLog.versions['output']!.replace("'inside', 1", "'inside', 2") } },
];

describe('scope-stdout-rebinding fixtures, executed on both engines', () => {
  let runs: ScopeRuns;
  beforeAll(() => {
    runs = runScopePrograms([...fixtures, ...broken]);
  }, 300_000);

  it('has executable fixtures, rewritten ones among them', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    expect(fixtures.filter((fixture) => fixture.versions['input'] !== fixture.versions['output']).length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures.map((fixture) => [fixture.id, fixture] as const))('%s keeps the contract', (id) => {
    expect(judgeScopeRuns(runs, id, { input: 'input', output: 'output' })).toEqual([]);
  });

  it('sees the allowed difference: with a throw, the input leaves a target rebound and the output restores it', () => {
    // `finally-already-using` was restored on a throw before (a `finally` became a stack): no difference there.
    const fixed = fixtures.filter((candidate) => candidate.versions['input'] !== candidate.versions['output'] && !candidate.id.startsWith('finally-already'));
    expect(fixed.length).toBeGreaterThanOrEqual(6);
    for (const fixture of fixed) {
      for (const engine of ['native', 'downlevel'] as const) {
        const [inputOnThrow, outputOnThrow] = [runs[engine][fixture.id]!['input']!, runs[engine][fixture.id]!['output']!].map((observations) => observations[1]!);
        expect(inputOnThrow!.leftPatched.length, `${fixture.id} input on ${engine}`).toBeGreaterThan(0);
        expect(outputOnThrow!.leftPatched, `${fixture.id} output on ${engine}`).toEqual([]);
      }
    }
  });

  it.each(broken.map((program) => [program.id] as const))('rejects the broken rewrite %s', (id) => {
    expect(judgeScopeRuns(runs, id, { input: 'input', output: 'output' }).length).toBeGreaterThan(0);
  });
});
