// An engine child of the oracle: started by oracle.ts with `fork`, on Node 24 ("native") or
// on the test Node with the DisposableStack shim ("downlevel"); receives programs over the
// IPC channel, runs each version under every scenario and sends back the outcomes.
// argv: <engine> <absolute path of disposablestack/auto, or "-" for the native engine>.

import { pathToFileURL } from 'node:url';

import { describeValue, normalizeThrown } from './outcome.js';
import type { ChildMessage, EngineHello, EngineName, NormalizedError, Outcome, ProgramReport, RunProgramRequest, RunResult, ScenarioOutcomes } from './protocol.js';
import { installRuntime } from './runtime.js';
import { capScenarios, enumerateScenarios, faultPointsOf, scenarioKey } from './scenarios.js';

const [engineArgument, shimPath] = process.argv.slice(2);
if (engineArgument !== 'native' && engineArgument !== 'downlevel') {
  throw new Error(`oracle child: unknown engine ${String(engineArgument)}`);
}
const engine: EngineName = engineArgument;

function globalKind(name: 'DisposableStack' | 'AsyncDisposableStack' | 'SuppressedError'): 'native' | 'shim' | 'missing' {
  const value: unknown = (globalThis as Record<string, unknown>)[name];
  if (typeof value !== 'function') return 'missing';
  return Function.prototype.toString.call(value).includes('[native code]') ? 'native' : 'shim';
}

// The shim goes first: TypeScript's helpers look up Symbol.dispose and SuppressedError when
// they run, and the runtime's Resource class computes its [Symbol.dispose] key when created.
if (engine === 'downlevel') {
  if (shimPath === undefined || shimPath === '-') throw new Error('oracle child: the downlevel engine needs the path of disposablestack/auto');
  await import(pathToFileURL(shimPath).href);
}
const runtime = installRuntime(globalThis);

/** Rejections not handled so far in the current run, keyed by promise (a later handler removes one). */
const unhandledRejections = new Map<Promise<unknown>, unknown>();
const uncaughtExceptions: unknown[] = [];
process.on('unhandledRejection', (reason, promise) => {
  unhandledRejections.set(promise, reason);
});
process.on('rejectionHandled', (promise) => {
  unhandledRejections.delete(promise);
});
process.on('uncaughtException', (error) => {
  uncaughtExceptions.push(error);
});

function nextMacrotask(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

let moduleInstanceCounter = 0;

async function loadMain(file: string, instanceTag: string): Promise<{ main: () => unknown } | { loadError: string }> {
  try {
    const url = `${pathToFileURL(file).href}?${instanceTag}`;
    const namespace = (await import(url)) as Record<string, unknown>;
    const main = namespace['main'];
    if (typeof main !== 'function') return { loadError: 'the module has no exported function `main`' };
    return { main: main as () => unknown };
  } catch (error) {
    return { loadError: `the module failed to load: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function callMain(main: () => unknown, timeoutMs: number, onThenable: () => void): Promise<RunResult> {
  let returned: unknown;
  try {
    returned = main();
  } catch (error) {
    return { kind: 'threw', error: normalizeThrown(error) };
  }
  if (!isThenable(returned)) return { kind: 'returned', value: describeValue(returned) };
  onThenable();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RunResult>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
  });
  const settled = Promise.resolve(returned).then(
    (value): RunResult => ({ kind: 'returned', value: describeValue(value) }),
    (error: unknown): RunResult => ({ kind: 'threw', error: normalizeThrown(error) }),
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface VersionRunner {
  run(faults: readonly string[]): Promise<Outcome>;
}

function createVersionRunner(file: string, request: RunProgramRequest, staleEvents: string[]): VersionRunner {
  let sharedModule: Promise<{ main: () => unknown } | { loadError: string }> | undefined;
  return {
    async run(faults) {
      // A fresh module instance per run (fixtures may keep module state), or one per program.
      moduleInstanceCounter += 1;
      const loading = request.freshModulePerRun
        ? loadMain(file, `run=${moduleInstanceCounter}`)
        : (sharedModule ??= loadMain(file, `program=${request.requestId}`));
      const loaded = await loading;
      unhandledRejections.clear();
      uncaughtExceptions.length = 0;
      runtime.beginRun(faults);
      let returnedThenable = false;
      const result: RunResult =
        'loadError' in loaded
          ? { kind: 'load-error', message: loaded.loadError }
          : await callMain(loaded.main, request.runTimeoutMs, () => {
              returnedThenable = true;
            });
      // Let unawaited async cleanups settle (they record `closed:*`) and let Node report
      // rejections nobody handled: at least two macrotasks, more while cleanups are pending.
      // A sync main of a program that makes promises only through the runtime, and made none,
      // has nothing left to wait for.
      const mayHaveLateWork = !request.onlyRuntimePromises || returnedThenable || runtime.startedAsyncWork();
      for (let turn = 0; mayHaveLateWork && turn < 10_000; turn += 1) {
        if (turn >= 2 && runtime.pendingAsyncCleanups() === 0) break;
        await nextMacrotask();
      }
      const { events, staleEvents: stale } = runtime.endRun();
      staleEvents.push(...stale);
      const unhandled: NormalizedError[] = [...unhandledRejections.values(), ...uncaughtExceptions].map((reason) => normalizeThrown(reason));
      unhandled.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      unhandledRejections.clear();
      uncaughtExceptions.length = 0;
      return { events, result, unhandled };
    },
  };
}

/** Single-fault rounds that may reveal more fault points (a `catch` block's steps, say). */
const DISCOVERY_ROUNDS = 3;

async function runProgram(request: RunProgramRequest): Promise<ProgramReport> {
  const staleEvents: string[] = [];
  const runners = request.versions.map((version) => ({ name: version.name, runner: createVersionRunner(version.file, request, staleEvents) }));
  const done = new Map<string, ScenarioOutcomes>();

  async function runScenario(faults: string[]): Promise<ScenarioOutcomes> {
    const key = scenarioKey(faults);
    const known = done.get(key);
    if (known) return known;
    const outcomes: Record<string, Outcome> = {};
    for (const { name, runner } of runners) outcomes[name] = await runner.run(faults);
    const scenario = { faults, outcomes };
    done.set(key, scenario);
    return scenario;
  }

  const pointsOf = (scenario: ScenarioOutcomes): string[] => Object.values(scenario.outcomes).flatMap((outcome) => faultPointsOf(outcome.events));
  const points: string[] = [];
  const addPoints = (found: readonly string[]): string[] => {
    const added = found.filter((point) => !points.includes(point));
    points.push(...new Set(added));
    return [...new Set(added)];
  };

  let frontier = addPoints(pointsOf(await runScenario([])));
  for (let round = 0; round < DISCOVERY_ROUNDS && frontier.length > 0; round += 1) {
    const found: string[] = [];
    for (const point of frontier) found.push(...pointsOf(await runScenario([point])));
    frontier = addPoints(found);
  }

  const { kept, dropped } = capScenarios(enumerateScenarios(points), request.maxScenarios);
  const scenarios: ScenarioOutcomes[] = [];
  for (const faults of kept) scenarios.push(await runScenario(faults));
  return { programId: request.programId, engine, faultPoints: points, scenarios, droppedScenarios: dropped, staleEvents };
}

function send(message: ChildMessage): void {
  process.send?.(message);
}

// The parent is gone (a vitest worker ended without closing the oracle): do not linger.
process.on('disconnect', () => process.exit(0));

// Requests run one at a time: the trace is process-global.
let queue: Promise<void> = Promise.resolve();
process.on('message', (message: RunProgramRequest) => {
  queue = queue.then(async () => {
    try {
      send({ type: 'result', requestId: message.requestId, report: await runProgram(message) });
    } catch (error) {
      send({ type: 'error', requestId: message.requestId, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  });
});

const hello: EngineHello = {
  type: 'hello',
  engine,
  nodeVersion: process.version,
  globals: {
    DisposableStack: globalKind('DisposableStack'),
    AsyncDisposableStack: globalKind('AsyncDisposableStack'),
    SuppressedError: globalKind('SuppressedError'),
  },
  symbols: { dispose: typeof Symbol.dispose === 'symbol', asyncDispose: typeof Symbol.asyncDispose === 'symbol' },
};
send(hello);
