// The globals that executable codemod fixtures and oracle programs may use. They are provided
// at run time by tests/oracle/runtime.ts (installed in each engine child before any program
// loads); this file only tells editors and `tsc` about them.

interface OracleResource {
  readonly name: string;
  /** Records `use:<name>`. */
  read(): void;
  /** Records `close:<name>`; throws `Error('close:<name>')` when that fault is injected. */
  close(): void;
  /**
   * Records `close:<name>` now, settles after a macrotask, records `closed:<name>` when it
   * settles, and rejects with `Error('close:<name>')` when that fault is injected.
   */
  closeAsync(): Promise<void>;
  /** Same as `close()`. */
  [Symbol.dispose](): void;
  /** Same as `closeAsync()`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Sync acquisition: records `open:<name>`; throws `Error('open:<name>')` when injected. */
declare function open(name: string): OracleResource;
/** Async acquisition: records `open:<name>`; rejects with `Error('open:<name>')` when injected. */
declare function openAsync(name: string): Promise<OracleResource>;
/** Records `step:<label>`; throws `Error('step:<label>')` when injected ("the body throws"). */
declare function step(label: string): void;
/** Records `trace:<message>`; never throws. */
declare function trace(message: string): void;
