// Shapes exchanged between the oracle's parent (the vitest worker) and its engine children
// (tests/oracle/child.ts running on Node 24 natively, or on the test Node with the shim).
// Everything here must survive JSON: the children talk over a JSON IPC channel.

export type EngineName = 'native' | 'downlevel';

/**
 * A thrown value, normalised so that two engines and two versions of a program compare:
 * an `Error` becomes its message (prefixed by its name when it is not a plain `Error`, so a
 * `TypeError` is never mistaken for an injected fault), a `SuppressedError` (native, shim or
 * TypeScript's helper fallback) becomes `{ error, suppressed }` recursively.
 */
export type NormalizedError =
  | string
  | { error: NormalizedError; suppressed: NormalizedError }
  | { thrownNonError: string };

export type RunResult =
  | { kind: 'returned'; value: string }
  | { kind: 'threw'; error: NormalizedError }
  /** `main()` did not settle within the per-run time limit. */
  | { kind: 'timeout' }
  /** The module did not load (syntax error, unsupported syntax) or has no exported `main`. */
  | { kind: 'load-error'; message: string };

/** What one run of one program version under one scenario did. */
export interface Outcome {
  /** `open:a`, `use:a`, `close:a`, `closed:a`, `step:x`, `trace:msg`, in order. */
  events: string[];
  result: RunResult;
  /** Rejections nobody handled by the end of the run (unawaited async cleanups that failed). */
  unhandled: NormalizedError[];
}

export interface ProgramVersionFile {
  /** `input`, `output`, or any label the caller chose. */
  name: string;
  /** Absolute path of the module as this engine must load it. */
  file: string;
}

export interface RunProgramRequest {
  type: 'run';
  requestId: number;
  programId: string;
  versions: ProgramVersionFile[];
  /**
   * Import the module again (a new module instance) for every run. Needed when a program may
   * keep state at module level (fixtures); generated programs keep all state inside `main`.
   */
  freshModulePerRun: boolean;
  /**
   * The program makes promises only through the runtime (openAsync, closeAsync), as generated
   * programs do: a sync run that made none need not wait macrotasks for late events.
   */
  onlyRuntimePromises: boolean;
  /** Upper bound on scenarios; pairs beyond it are dropped deterministically (reported). */
  maxScenarios: number;
  runTimeoutMs: number;
}

export interface ScenarioOutcomes {
  /** Injected faults (event labels that throw when reached); empty for the fault-free run. */
  faults: string[];
  /** Keyed by version name. */
  outcomes: Record<string, Outcome>;
}

export interface ProgramReport {
  programId: string;
  engine: EngineName;
  faultPoints: string[];
  scenarios: ScenarioOutcomes[];
  /** Scenarios not run because of `maxScenarios`. */
  droppedScenarios: number;
  /** Events recorded by a run after it had ended (a leak between runs: the report is suspect). */
  staleEvents: string[];
}

export interface EngineHello {
  type: 'hello';
  engine: EngineName;
  nodeVersion: string;
  /** Which of the Explicit Resource Management globals exist, and whether they are native. */
  globals: Record<'DisposableStack' | 'AsyncDisposableStack' | 'SuppressedError', 'native' | 'shim' | 'missing'>;
  symbols: Record<'dispose' | 'asyncDispose', boolean>;
}

export type ChildMessage =
  | EngineHello
  | { type: 'result'; requestId: number; report: ProgramReport }
  | { type: 'error'; requestId: number; message: string };
