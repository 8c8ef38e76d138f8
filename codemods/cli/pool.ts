import { Worker } from 'node:worker_threads';

import type { CodemodEntry } from '../index.js';
import { mightMatch, processFile, readSource, ruledOut, transformRead } from './file.js';
import type { CodemodFs, FileOptions, FileResult, FileTask, SourceRead } from './file.js';
import type { WorkerRequest, WorkerSetup } from './worker.js';

/**
 * Text a worker thread must have to parse for starting it to pay: a thread costs ~0.2 s of CPU
 * before its first file (start, loading the transform and its parser), about what parsing
 * 256 KiB of source costs. Below 2x this, the run stays in this thread.
 */
export const BYTES_PER_WORKER = 256 * 1024;

/** Files read at once by the text pre-check (the reads overlap; the test itself is cheap). */
const READ_CONCURRENCY = 32;

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
  /** Source bytes that justify one worker thread (BYTES_PER_WORKER by default; 0 uses every cpu). */
  bytesPerWorker?: number;
}

/** One file to transform; `read` when the pre-check already read it (workers then do not read it again). */
interface WorkItem {
  index: number;
  task: FileTask;
  read?: SourceRead;
}

export type ResultListener = (index: number, result: FileResult) => void;

/** How many threads a run will really use: workers need a transform they can import by URL. */
export function effectiveCpus(options: Pick<PoolOptions, 'cpus' | 'entry' | 'fs'>, files: number): number {
  if (options.entry.moduleUrl === undefined || options.fs !== undefined) return 1;
  return Math.max(1, Math.min(options.cpus, files));
}

/**
 * Threads for `work`: at most `cpus`, and, when the texts are known, no more than they justify
 * (BYTES_PER_WORKER each), so a run whose pre-check leaves a handful of files never pays for
 * starting threads.
 */
function threadsFor(work: readonly WorkItem[], options: PoolOptions): number {
  const cpus = effectiveCpus(options, work.length);
  if (cpus === 1 || work.some((item) => item.read === undefined)) return cpus;
  const bytesPerWorker = options.bytesPerWorker ?? BYTES_PER_WORKER;
  if (bytesPerWorker <= 0) return cpus;
  const bytes = work.reduce((sum, item) => sum + (item.read?.source.length ?? 0), 0);
  const justified = Math.floor(bytes / bytesPerWorker);
  return justified < 2 ? 1 : Math.min(cpus, justified);
}

/**
 * The text pre-check, in this thread and before any worker exists: read every file (a few at a
 * time), settle those that cannot match and those that cannot be read, and return the rest with
 * their text, in task order.
 */
async function preCheck(tasks: readonly FileTask[], options: PoolOptions, onResult: ResultListener): Promise<WorkItem[]> {
  const work: WorkItem[] = [];
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index] as FileTask;
      const read = await readSource(task, options.fs);
      if ('report' in read) onResult(index, read);
      else if (!mightMatch(read, options.fileOptions)) onResult(index, ruledOut(task, read, options.fileOptions));
      else work.push({ index, task, read });
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, tasks.length) }, reader));
  return work.sort((a, b) => a.index - b.index);
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
  // Without a text test every file is parsed anyway: the workers read them.
  const work =
    options.fileOptions.mightMatch === undefined
      ? tasks.map((task, index): WorkItem => ({ index, task }))
      : await preCheck(tasks, options, record);
  const cpus = threadsFor(work, options);
  if (cpus > 1) {
    try {
      await runInWorkers(work, cpus, options, record);
      return cpus;
    } catch (error) {
      // No worker could start (a missing worker script, a transform that only loads in this
      // thread): finish in this thread rather than lose the run.
      options.onWorkersUnavailable?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
  const { transformSource } = options.entry;
  for (const { index, task, read } of work) {
    if (settled.has(index)) continue;
    record(
      index,
      read === undefined
        ? await processFile(task, transformSource, options.fileOptions, options.fs)
        : await transformRead(task, read, transformSource, options.fileOptions, options.fs),
    );
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

function runInWorkers(work: readonly WorkItem[], cpus: number, options: PoolOptions, onResult: ResultListener): Promise<void> {
  const moduleUrl = options.entry.moduleUrl;
  if (moduleUrl === undefined) throw new Error('runInWorkers needs a transform module URL');
  const setup: WorkerSetup = { moduleUrl, fileOptions: options.fileOptions };
  const workerUrl = options.workerUrl ?? new URL('./worker.js', import.meta.url);

  // Largest texts first, so no thread is left parsing one big file after the others are done.
  const order = [...work.keys()].sort(
    (a, b) => ((work[b] as WorkItem).read?.source.length ?? 0) - ((work[a] as WorkItem).read?.source.length ?? 0) || a - b,
  );

  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let settled = 0;
    let live = 0;
    let failedToStart: unknown;

    const finishIfDone = (): void => {
      if (settled === work.length) resolve();
      else if (live === 0 && next < work.length) {
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
        if (next >= work.length) {
          inFlight = undefined;
          void worker.terminate();
          return;
        }
        inFlight = order[next++] as number;
        const { index, task, read } = work[inFlight] as WorkItem;
        const request: WorkerRequest = { index, task, ...(read ? { read } : {}) };
        worker.postMessage(request);
      };

      worker.on('message', (message: { ready?: boolean; index?: number; result?: FileResult }) => {
        if (message.ready) {
          ready = true;
          feed();
          return;
        }
        if (message.index === undefined || message.result === undefined) return;
        inFlight = undefined;
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
          const { index, task } = work[inFlight] as WorkItem;
          onResult(index, crashReport(task, lastError ?? `exit code ${code}`));
          inFlight = undefined;
        }
        if (!ready) failedToStart = lastError ?? new Error(`the worker exited (code ${code}) before it was ready`);
        else if (next < work.length) start();
        finishIfDone();
      });
    };

    for (let i = 0; i < cpus; i++) start();
  });
}
