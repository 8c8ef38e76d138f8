import { Worker } from 'node:worker_threads';

import type { CodemodEntry } from '../index.js';
import { processFile } from './file.js';
import type { CodemodFs, FileOptions, FileResult, FileTask } from './file.js';
import type { WorkerRequest, WorkerSetup } from './worker.js';

export interface PoolOptions {
  entry: CodemodEntry;
  /** 1 runs in this thread; more starts that many worker threads. */
  cpus: number;
  fileOptions: FileOptions;
  /** An injected file system can only be used in this thread (it cannot be sent to a worker). */
  fs?: CodemodFs;
  /** Where the worker script is: dist/codemods/cli/worker.js next to this module by default. */
  workerUrl?: URL;
  /** Told when no worker thread could start; the run then goes on in this thread. */
  onWorkersUnavailable?: (error: Error) => void;
}

export type ResultListener = (index: number, result: FileResult) => void;

/** How many threads a run will really use: workers need a transform they can import by URL. */
export function effectiveCpus(options: Pick<PoolOptions, 'cpus' | 'entry' | 'fs'>, files: number): number {
  if (options.entry.moduleUrl === undefined || options.fs !== undefined) return 1;
  return Math.max(1, Math.min(options.cpus, files));
}

/**
 * Transform every task, calling `onResult` as each settles (in completion order, with its
 * index). Resolves to the number of threads that did the work.
 */
export async function runTasks(tasks: readonly FileTask[], options: PoolOptions, onResult: ResultListener): Promise<number> {
  const settled = new Set<number>();
  const record: ResultListener = (index, result) => {
    settled.add(index);
    onResult(index, result);
  };
  const cpus = effectiveCpus(options, tasks.length);
  if (cpus > 1) {
    try {
      await runInWorkers(tasks, cpus, options, record);
      return cpus;
    } catch (error) {
      // No worker could start (a missing worker script, a transform that only loads in this
      // thread): finish in this thread rather than lose the run.
      options.onWorkersUnavailable?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
  for (const [index, task] of tasks.entries()) {
    if (settled.has(index)) continue;
    record(index, await processFile(task, options.entry.transformSource, options.fileOptions, options.fs));
  }
  return 1;
}

function crashReport(task: FileTask, error: unknown): FileResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    report: {
      file: task.file,
      status: 'error',
      reason: 'transform-failed',
      message: `the worker thread died: ${message}`,
      converted: [],
      refused: [],
    },
  };
}

function runInWorkers(tasks: readonly FileTask[], cpus: number, options: PoolOptions, onResult: ResultListener): Promise<void> {
  const moduleUrl = options.entry.moduleUrl;
  if (moduleUrl === undefined) throw new Error('runInWorkers needs a transform module URL');
  const setup: WorkerSetup = { moduleUrl, fileOptions: options.fileOptions };
  const workerUrl = options.workerUrl ?? new URL('./worker.js', import.meta.url);

  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let settled = 0;
    let live = 0;
    let failedToStart: unknown;

    const finishIfDone = (): void => {
      if (settled === tasks.length) resolve();
      else if (live === 0 && next < tasks.length) {
        // Every worker is gone before the work is: the transform cannot load in a worker.
        reject(failedToStart instanceof Error ? failedToStart : new Error(String(failedToStart)));
      }
    };

    const start = (): void => {
      const worker = new Worker(workerUrl, { workerData: setup });
      live++;
      let inFlight: number | undefined;
      let ready = false;

      const feed = (): void => {
        if (next >= tasks.length) {
          inFlight = undefined;
          void worker.terminate();
          return;
        }
        inFlight = next++;
        const request: WorkerRequest = { index: inFlight, task: tasks[inFlight] as FileTask };
        worker.postMessage(request);
      };

      worker.on('message', (message: { ready?: boolean; index?: number; result?: FileResult }) => {
        if (message.ready) {
          ready = true;
          feed();
          return;
        }
        if (message.index === undefined || message.result === undefined) return;
        settled++;
        onResult(message.index, message.result);
        feed();
      });
      let lastError: unknown;
      worker.on('error', (error) => {
        lastError = error;
      });
      worker.on('exit', (code) => {
        live--;
        // A crash that processFile's own guard could not catch (stack overflow, out of memory,
        // process.exit in a transform): this file failed, the run goes on in a fresh worker.
        if (inFlight !== undefined) {
          settled++;
          onResult(inFlight, crashReport(tasks[inFlight] as FileTask, lastError ?? `exit code ${code}`));
          inFlight = undefined;
        }
        if (!ready) failedToStart = lastError ?? new Error(`the worker exited (code ${code}) before it was ready`);
        else if (next < tasks.length) start();
        finishIfDone();
      });
    };

    for (let i = 0; i < cpus; i++) start();
  });
}
