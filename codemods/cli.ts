#!/usr/bin/env node
// The `ctx-codemod` bin. Everything lives in lib/codemod-runner.ts (`main`), which tests call
// in-process; this file only connects it to the process. No process.exit: stdout is flushed
// before Node exits on its own.
import { main } from '../lib/codemod-runner.js';

process.exitCode = await main(process.argv.slice(2));
