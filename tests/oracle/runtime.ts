// The oracle runtime: the globals (`open`, `openAsync`, `step`, `trace`) that fixture and
// generated programs call, recording every observable event and throwing where a fault is
// injected. Runs inside an engine child (see child.ts), installed after the
// DisposableStack shim (the downlevel engine) so that `Symbol.dispose` is final when the
// Resource class computes its method keys.

/** Event prefixes that are fault points: reaching one of these labels can be made to throw. */
export const FAULT_PREFIXES = ['open:', 'close:', 'step:'] as const;

export interface RuntimeControl {
  /** Starts a new run: clears the trace and arms the given faults (event labels). */
  beginRun(faults: readonly string[]): void;
  /**
   * Ends the current run. Events of an earlier run that arrived since the previous endRun
   * (stragglers of a run that timed out) are returned as stale, never mixed into a trace.
   */
  endRun(): { events: string[]; staleEvents: string[] };
  /** Async cleanups started by the runtime that have not settled yet. */
  pendingAsyncCleanups(): number;
  /** Whether the current run created a promise through the runtime (openAsync, closeAsync). */
  startedAsyncWork(): boolean;
}

class OracleRuntime implements RuntimeControl {
  private events: string[] = [];
  private staleEvents: string[] = [];
  private faults = new Set<string>();
  /** Incremented by every beginRun; a Resource remembers the run it was opened in. */
  private generation = 0;
  private running = false;
  private pending = 0;
  private asyncWork = false;

  beginRun(faults: readonly string[]): void {
    this.generation += 1;
    this.events = [];
    this.faults = new Set(faults);
    this.running = true;
    this.asyncWork = false;
  }

  endRun(): { events: string[]; staleEvents: string[] } {
    this.running = false;
    const staleEvents = this.staleEvents;
    this.staleEvents = [];
    return { events: this.events, staleEvents };
  }

  pendingAsyncCleanups(): number {
    return this.pending;
  }

  startedAsyncWork(): boolean {
    return this.asyncWork;
  }

  noteAsyncWork(): void {
    this.asyncWork = true;
  }

  currentGeneration(): number {
    return this.generation;
  }

  /** Records an event of the given run; an event of an earlier run is kept aside as stale. */
  record(label: string, generation: number): void {
    if (this.running && generation === this.generation) this.events.push(label);
    else this.staleEvents.push(label);
  }

  /** Records a fault point and throws when it is armed. */
  reach(label: string, generation: number): void {
    this.record(label, generation);
    if (this.isArmed(label)) throw new Error(label);
  }

  isArmed(label: string): boolean {
    return this.faults.has(label);
  }

  startAsyncCleanup(): void {
    this.pending += 1;
  }

  finishAsyncCleanup(): void {
    this.pending -= 1;
  }
}

function createResourceClass(runtime: OracleRuntime) {
  return class Resource {
    readonly name: string;
    readonly #generation: number;

    constructor(name: string, generation: number) {
      this.name = name;
      this.#generation = generation;
    }

    read(): void {
      runtime.record(`use:${this.name}`, this.#generation);
    }

    close(): void {
      runtime.reach(`close:${this.name}`, this.#generation);
    }

    closeAsync(): Promise<void> {
      const label = `close:${this.name}`;
      runtime.record(label, this.#generation);
      const fails = runtime.isArmed(label);
      runtime.noteAsyncWork();
      runtime.startAsyncCleanup();
      // setImmediate rather than setTimeout(0): both are one macrotask for the program, but
      // setTimeout is clamped to 1 ms, which would make thousands of runs needlessly slow.
      return new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          runtime.finishAsyncCleanup();
          runtime.record(`closed:${this.name}`, this.#generation);
          if (fails) reject(new Error(label));
          else resolve();
        });
      });
    }

    [Symbol.dispose](): void {
      this.close();
    }

    [Symbol.asyncDispose](): Promise<void> {
      return this.closeAsync();
    }
  };
}

/**
 * Installs the program globals on `target` and returns the handle the child uses to run
 * scenarios. Call once per process.
 */
export function installRuntime(target: typeof globalThis): RuntimeControl {
  if (typeof Symbol.dispose !== 'symbol' || typeof Symbol.asyncDispose !== 'symbol') {
    throw new Error('oracle runtime: Symbol.dispose / Symbol.asyncDispose must exist before the runtime is installed (load the shim first)');
  }
  const runtime = new OracleRuntime();
  const Resource = createResourceClass(runtime);
  const programGlobals = {
    open(name: string): InstanceType<typeof Resource> {
      const generation = runtime.currentGeneration();
      runtime.reach(`open:${name}`, generation);
      return new Resource(name, generation);
    },
    openAsync(name: string): Promise<InstanceType<typeof Resource>> {
      const generation = runtime.currentGeneration();
      runtime.noteAsyncWork();
      try {
        runtime.reach(`open:${name}`, generation);
      } catch (error) {
        return Promise.reject(error);
      }
      return Promise.resolve(new Resource(name, generation));
    },
    step(label: string): void {
      runtime.reach(`step:${label}`, runtime.currentGeneration());
    },
    trace(message: string): void {
      runtime.record(`trace:${message}`, runtime.currentGeneration());
    },
  };
  Object.assign(target, programGlobals);
  return runtime;
}
