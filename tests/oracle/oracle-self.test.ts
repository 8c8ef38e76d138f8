// The oracle tested on its own: scenario enumeration, the contract on hand-made outcomes, and
// the sample pairs run on both engines, where every deliberately broken rewrite must FAIL.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { checkContract, formatFindings, judge } from './contract.js';
import { NATIVE_NODE_PATH, locateNativeNode, prepareForEngine } from './engines.js';
import { discoverFixtures } from './fixtures.js';
import { programArbitrary } from './generator.js';
import { Oracle } from './oracle.js';
import { describeValue, normalizeThrown } from './outcome.js';
import { checkGeneratedProgram, emptyStatistics, type SourceTransform } from './property.js';
import { installRuntime } from './runtime.js';
import type { Outcome } from './protocol.js';
import { loadSamples } from './samples.js';
import { capScenarios, enumerateScenarios, faultPointsOf } from './scenarios.js';

const returned = (value: string): Outcome['result'] => ({ kind: 'returned', value });
const threw = (error: Extract<Outcome['result'], { kind: 'threw' }>['error']): Outcome['result'] => ({ kind: 'threw', error });
const outcome = (events: string[], result: Outcome['result']): Outcome => ({ events, result, unhandled: [] });

describe('scenarios', () => {
  it('takes fault points from open/close/step events, first appearance first', () => {
    expect(faultPointsOf(['open:a', 'use:a', 'step:x', 'close:a', 'closed:a', 'trace:t', 'open:a'])).toEqual(['open:a', 'step:x', 'close:a']);
  });

  it('enumerates no fault, singles, step-or-open x close pairs, close pairs', () => {
    expect(enumerateScenarios(['open:a', 'step:x', 'close:b', 'close:a'])).toEqual([
      [],
      ['open:a'],
      ['step:x'],
      ['close:b'],
      ['close:a'],
      ['open:a', 'close:b'],
      ['open:a', 'close:a'],
      ['step:x', 'close:b'],
      ['step:x', 'close:a'],
      ['close:b', 'close:a'],
    ]);
  });

  it('caps by keeping every single and spreading the pairs', () => {
    const all = enumerateScenarios(['step:1', 'step:2', 'close:a', 'close:b', 'close:c']);
    const { kept, dropped } = capScenarios(all, 9);
    expect(kept.slice(0, 6)).toEqual(all.slice(0, 6));
    expect(kept).toHaveLength(9);
    expect(dropped).toBe(all.length - 9);
    expect(new Set(kept.map((faults) => faults.join()))).toHaveProperty('size', 9);
  });
});

describe('checkContract', () => {
  it('demands identical outcomes when no cleanup throws', () => {
    const input = outcome(['open:a', 'step:x', 'close:a'], threw('step:x'));
    expect(checkContract(['step:x'], input, input)).toBeUndefined();
    expect(checkContract(['step:x'], input, outcome(['open:a', 'close:a', 'step:x'], threw('step:x')))).toMatch(/traces must be identical/);
    expect(checkContract(['step:x'], input, outcome(input.events, threw('close:a')))).toMatch(/results must be identical/);
  });

  it('accepts extra cleanups and a SuppressedError carrying the input error when a cleanup throws', () => {
    const input = outcome(['open:a', 'open:b', 'step:x', 'close:b'], threw('close:b'));
    const output = outcome(['open:a', 'open:b', 'step:x', 'close:b', 'close:a'], threw({ error: 'close:b', suppressed: 'step:x' }));
    expect(checkContract(['step:x', 'close:b'], input, output)).toBeUndefined();
  });

  it("finds the newest error inside a stack's own SuppressedError wrapped by the using's", () => {
    // Body throws step:x; one stack's cleanups throw close:b then close:a.
    const faults = ['step:x', 'close:b', 'close:a'];
    const input = outcome(['open:a', 'open:b', 'step:x', 'close:b', 'close:a'], threw('close:a'));
    const nested = threw({ error: { error: 'close:a', suppressed: 'close:b' }, suppressed: 'step:x' });
    expect(checkContract(faults, input, outcome(input.events, nested))).toBeUndefined();
    const wrongNewest = threw({ error: { error: 'close:b', suppressed: 'close:a' }, suppressed: 'step:x' });
    expect(checkContract(faults, input, outcome(input.events, wrongNewest))).toMatch(/newest error/);
  });

  it('rejects fewer cleanups, reordered cleanups, new acquisitions and invented errors', () => {
    const input = outcome(['open:a', 'open:b', 'close:b', 'close:a'], threw('close:a'));
    const faults = ['close:b', 'close:a'];
    expect(checkContract(faults, input, outcome(['open:a', 'open:b', 'close:b'], threw('close:a')))).toMatch(/subsequence/);
    expect(checkContract(faults, input, outcome(['open:a', 'open:b', 'close:a', 'close:b'], threw('close:a')))).toMatch(/subsequence/);
    expect(checkContract(faults, input, outcome(['open:a', 'open:b', 'close:b', 'close:a', 'open:c'], threw('close:a')))).toMatch(/open:c/);
    expect(checkContract(faults, input, outcome(input.events, threw({ error: 'close:a', suppressed: 'step:x' })))).toMatch(/did not occur/);
    expect(checkContract(faults, input, outcome(input.events, threw({ error: 'close:b', suppressed: 'close:a' })))).toMatch(/newest error/);
    // When the output runs a cleanup the input skipped and it throws, that error is the newest.
    const skipping = outcome(['open:a', 'open:b', 'close:b'], threw('close:b'));
    expect(checkContract(faults, skipping, outcome(input.events, threw({ error: 'close:a', suppressed: 'close:b' })))).toBeUndefined();
    expect(checkContract(faults, skipping, outcome(input.events, threw('close:a')))).toMatch(/not a SuppressedError/);
    expect(checkContract(faults, input, outcome(input.events, returned('"done"')))).toMatch(/must throw too/);
    expect(checkContract(faults, input, outcome(input.events, threw({ error: 'close:a', suppressed: 'close:b' })))).toBeUndefined();
  });
});

describe('the sample pairs on both engines', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.start();
  });
  afterAll(() => oracle?.close());

  const samples = loadSamples();

  it('has samples, each with at least one broken rewrite', () => {
    expect(samples.length).toBeGreaterThanOrEqual(4);
    for (const sample of samples) expect(sample.broken.length, sample.name).toBeGreaterThan(0);
  });

  for (const sample of samples) {
    it(`${sample.name}: the correct rewrite keeps the contract on both engines`, async () => {
      const reports = await oracle.run({ id: sample.name, fileName: sample.fileName, versions: { input: sample.input, output: sample.output } });
      expect(reports.native.scenarios.length).toBeGreaterThan(1);
      expect(formatFindings(judge(reports, { input: 'input', output: 'output' }))).toBe('');
    });

    for (const broken of sample.broken) {
      it(`${sample.name}: the broken rewrite "${broken.how}" is caught`, async () => {
        const reports = await oracle.run({ id: `${sample.name}-${broken.how}`, fileName: sample.fileName, versions: { input: sample.input, output: broken.source } });
        const findings = judge(reports, { input: 'input', output: 'output' });
        const violations = findings.filter((finding) => finding.kind === 'contract-violation');
        expect(violations.length, formatFindings(findings)).toBeGreaterThan(0);
        // Both engines must see the same breakage: the oracle's verdict is not an engine artefact.
        expect(violations.some((finding) => finding.engines.length === 2), formatFindings(violations)).toBe(true);
        expect(findings.filter((finding) => finding.kind !== 'contract-violation'), formatFindings(findings)).toEqual([]);
      });
    }
  }
});

describe('the generator property on a broken transform', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.start();
  });
  afterAll(() => oracle?.close());

  // A classic codemod mistake (REFERENCE.md §3, item 8): an awaited async cleanup becomes a
  // floating promise, so later events overtake `closed:*`.
  const unawaitAsyncCleanups: SourceTransform = (source) => {
    const output = source.replace(/await (r\d+)\.closeAsync\(\);/g, '$1.closeAsync();');
    return { output, changed: output !== source, converted: [], refused: [] };
  };

  it('fails, and shrinks to a short readable counterexample', async () => {
    const details = await fc.check(
      fc.asyncProperty(programArbitrary(), (program) => checkGeneratedProgram(oracle, unawaitAsyncCleanups, program, emptyStatistics())),
      { numRuns: 200, seed: 20_261_125 },
    );
    expect(details.failed).toBe(true);
    const message = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    expect(message).toMatch(/\[contract-violation\] on native and downlevel, scenario/);
    const program = /--- program ---\n([\s\S]*?)--- transformed ---/.exec(message)?.[1] ?? '';
    expect(program).toMatch(/await r\d+\.closeAsync\(\);/);
    // Shrinking must leave only what the failure needs (two cleanups and little else).
    expect(program.trim().split('\n').length, program).toBeLessThanOrEqual(18);
  }, 120_000);

  // The mistake of issue #8: moving code re-indents lines inside template literals and comments
  // (here only those, and only once, so that the rewrite stays idempotent).
  const reindentEveryLine: SourceTransform = (source) => {
    const output = source.replace(/^ {6}indented/gm, '    indented').replace(/^ {5}a second line/gm, '   a second line');
    return { output, changed: output !== source, converted: [], refused: [] };
  };

  it('fails when a rewrite changes the text of a template literal, a string or a comment', async () => {
    const details = await fc.check(
      fc.asyncProperty(programArbitrary(), (program) => checkGeneratedProgram(oracle, reindentEveryLine, program, emptyStatistics())),
      { numRuns: 200, seed: 20_261_129 },
    );
    expect(details.failed).toBe(true);
    const message = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    expect(message).toMatch(/literal or comment text changed/);
  }, 120_000);
});

describe('fixture discovery', () => {
  it('pairs inputs with outputs, keeps no-change inputs, and reports layout mistakes', () => {
    const directory = mkdtempSync(join(tmpdir(), 'ctx-fixtures-'));
    try {
      const main = 'export function main() { return 1; }\n';
      writeFileSync(join(directory, 'pair.input.ts'), main);
      writeFileSync(join(directory, 'pair.output.ts'), `${main}// rewritten\n`);
      writeFileSync(join(directory, 'no-change-x.input.js'), main);
      writeFileSync(join(directory, 'no-change-x.refusal.json'), '["finally-control-flow"]');
      writeFileSync(join(directory, 'syntax-only.input.tsx'), 'const x = <div />;\n');
      writeFileSync(join(directory, 'orphan.output.ts'), main);
      writeFileSync(join(directory, 'lost.input.ts'), main);
      writeFileSync(join(directory, 'lost.output.ts'), 'function main() {}\n');
      const discovery = discoverFixtures(directory);
      expect(discovery.executable.map((fixture) => [fixture.name, fixture.fileName, fixture.output !== undefined])).toEqual([
        ['no-change-x', 'no-change-x.input.js', false],
        ['pair', 'pair.input.ts', true],
      ]);
      expect(discovery.notExecutable).toEqual(['syntax-only']);
      expect(discovery.problems).toEqual(['lost.output.ts lost the `export function main()` of its input', 'orphan.output.ts has no orphan.input.ts']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('engines', () => {
  it('finds Node 24 in tools/node24, and names its installer when it is missing', () => {
    expect(locateNativeNode()).toBe(NATIVE_NODE_PATH);
    expect(() => locateNativeNode(join(tmpdir(), 'no-such-folder', 'node'))).toThrow(/needs Node 24 at .*no-such-folder.*Run `node tools\/node24\/install\.mjs`/);
  });

  it('keeps `using` for the native engine and lowers it for the downlevel one', () => {
    const source = "export function main(): string { using r = open('a'); return r.name; }\n";
    expect(prepareForEngine('native', source, 'x.ts')).toEqual({ code: source, extension: '.mts' });
    const lowered = prepareForEngine('downlevel', source, 'x.ts');
    expect(lowered.extension).toBe('.mjs');
    expect(lowered.code).toMatch(/__addDisposableResource/);
    expect(lowered.code).not.toMatch(/\busing r\b|: string/);
    expect(prepareForEngine('native', source.replace(': string', ''), 'x.jsx').code).toMatch(/using r = open/);
  });
});

describe('microtask interleaving', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.start();
  });
  afterAll(() => oracle?.close());

  const ticker = "  void (async () => { for (let tick = 0; tick < 3; tick++) { await null; trace(`tick${tick}`); } })();\n";
  const input = `export async function main() {\n${ticker}  const a = open('a');\n  try {\n    step('body');\n  } finally {\n    a.close();\n  }\n  trace('after');\n}\n`;

  it('is visible on the native engine: `await using` yields at block exit where a sync finally does not', async () => {
    const awaitedSync = `export async function main() {\n${ticker}  {\n    await using stack = new AsyncDisposableStack();\n    stack.adopt(open('a'), (a) => a.close());\n    step('body');\n  }\n  trace('after');\n}\n`;
    const reports = await oracle.run({ id: 'microtasks', fileName: 'microtasks.js', versions: { input, output: awaitedSync } });
    const findings = judge(reports, { input: 'input', output: 'output' }, { engineAgreement: false, contractEngines: ['native'] });
    expect(findings.map((finding) => finding.scenario)).toContain('(no fault)');
  });

  it('keeps a sync `using` rewrite identical, ticks included', async () => {
    const syncUsing = `export async function main() {\n${ticker}  {\n    using a = open('a');\n    step('body');\n  }\n  trace('after');\n}\n`;
    const reports = await oracle.run({ id: 'microtasks-sync', fileName: 'microtasks.js', versions: { input, output: syncUsing } });
    expect(formatFindings(judge(reports, { input: 'input', output: 'output' }))).toBe('');
  });
});

describe('runtime and normalisation (in process)', () => {
  interface ProgramGlobals {
    open(name: string): OracleResource;
    openAsync(name: string): Promise<OracleResource>;
    step(label: string): void;
    trace(message: string): void;
  }

  function install(): { globals: ProgramGlobals; control: ReturnType<typeof installRuntime> } {
    const target = {} as typeof globalThis;
    const control = installRuntime(target);
    return { globals: target as unknown as ProgramGlobals, control };
  }

  it('records events, throws armed faults after recording them, and keeps stragglers out of traces', async () => {
    const { globals, control } = install();
    control.beginRun(['close:b', 'step:x']);
    const a = globals.open('a');
    a.read();
    expect(() => globals.step('x')).toThrow('step:x');
    const b = globals.open('b');
    expect(() => b[Symbol.dispose]()).toThrow('close:b');
    const closing = a.closeAsync();
    expect(control.pendingAsyncCleanups()).toBe(1);
    await closing;
    globals.trace('done');
    const first = control.endRun();
    expect(first.events).toEqual(['open:a', 'use:a', 'step:x', 'open:b', 'close:b', 'close:a', 'closed:a', 'trace:done']);

    control.beginRun([]);
    a.close(); // a resource of the previous run
    expect(control.endRun()).toEqual({ events: [], staleEvents: ['close:a'] });
  });

  it('rejects async acquisitions and async cleanups that are armed', async () => {
    const { globals, control } = install();
    control.beginRun(['open:c', 'close:d']);
    await expect(globals.openAsync('c')).rejects.toThrow('open:c');
    const d = await globals.openAsync('d');
    await expect(d[Symbol.asyncDispose]()).rejects.toThrow('close:d');
    expect(control.startedAsyncWork()).toBe(true);
    expect(control.endRun().events).toEqual(['open:c', 'open:d', 'close:d', 'closed:d']);
  });

  it('normalises errors, SuppressedErrors of any origin, and returned values', () => {
    const helperStyle = Object.assign(new Error('An error was suppressed during disposal.'), { name: 'SuppressedError', error: new Error('close:a'), suppressed: new Error('step:x') });
    expect(normalizeThrown(helperStyle)).toEqual({ error: 'close:a', suppressed: 'step:x' });
    expect(normalizeThrown(new TypeError('Object not disposable.'))).toBe('TypeError: Object not disposable.');
    expect(normalizeThrown('plain')).toEqual({ thrownNonError: '"plain"' });
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ name: 'r1' })).toBe('{name: "r1"}');
    expect(describeValue(['a', 1n])).toBe('["a", 1n]');
  });
});

describe('engine agreement and identity', () => {
  let oracle: Oracle;
  beforeAll(async () => {
    oracle = await Oracle.start();
  });
  afterAll(() => oracle?.close());

  it('reports a program that behaves differently on the two engines, with both outcomes', async () => {
    const source = "export function main() {\n  trace(process.version.split('.')[0]);\n  return 'done';\n}\n";
    const findings = judge(await oracle.run({ id: 'engine-specific', fileName: 'engine.js', versions: { input: source } }));
    expect(findings.map((finding) => finding.kind)).toEqual(['engine-disagreement']);
    expect(findings[0]!.message).toMatch(/native:\n {4}events: trace:v24\n[\s\S]*downlevel:\n {4}events: trace:v20/);
  });

  it('accepts the identity transform (a scaffold that changes nothing) on generated programs', async () => {
    const identity: SourceTransform = (source) => ({ output: source, changed: false, converted: [], refused: [] });
    const statistics = emptyStatistics();
    await fc.assert(
      fc.asyncProperty(programArbitrary(), (program) => checkGeneratedProgram(oracle, identity, program, statistics)),
      { numRuns: 15, seed: 7 },
    );
    expect(statistics.programs).toBe(15);
    expect(statistics.changed).toBe(0);
  });
});
