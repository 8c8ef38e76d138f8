#!/usr/bin/env node
// The `ctx-codemod` bin. Everything lives in codemods/cli/runner.ts (`main`), which tests call
// in-process; this file only connects it to the process. No process.exit: stdout is flushed
// before Node exits on its own.
import { main } from './cli/runner.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  // `ctx-codemod … --print | head`: the reader is gone, so is the point of printing more; the
  // run itself (and its exit code) is not affected.
  if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
