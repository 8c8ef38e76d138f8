import { parentPort, workerData } from 'node:worker_threads';

import type { TransformSource } from '../index.js';
import { processFile, transformRead } from './file.js';
import type { FileOptions, FileTask, SourceRead } from './file.js';

// Worker side of the pool (codemods/cli/pool.ts): load the transform once, then process one file
// per message with the same `processFile` the in-process path uses, so both behave alike.

export interface WorkerSetup {
  moduleUrl: string;
  fileOptions: FileOptions;
}

export interface WorkerRequest {
  index: number;
  task: FileTask;
  /** The file as the main thread's text pre-check read it; without it, the worker reads it. */
  read?: SourceRead;
}

const port = parentPort;
if (!port) throw new Error('codemods/cli/worker.js must run in a worker thread');

const setup = workerData as WorkerSetup;
const loaded = (await import(setup.moduleUrl)) as { transformSource?: unknown };
if (typeof loaded.transformSource !== 'function') {
  throw new Error(`${setup.moduleUrl} does not export a transformSource function`);
}
const transformSource = loaded.transformSource as TransformSource;

port.on('message', (request: WorkerRequest) => {
  const { task, read } = request;
  const done = read ? transformRead(task, read, transformSource, setup.fileOptions) : processFile(task, transformSource, setup.fileOptions);
  void done.then((result) => {
    port.postMessage({ index: request.index, result });
  });
});
port.postMessage({ ready: true });
