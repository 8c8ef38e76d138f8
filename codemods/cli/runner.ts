import { availableParallelism } from 'node:os';

import cliProgress from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { PACKAGE_VERSION } from '../../lib/package-info.js';
import { codemods } from '../index.js';
import type { CodemodEntry, CodemodRegistry } from '../index.js';
import { discoverFiles, SUPPORTED_EXTENSIONS } from './discovery.js';
import type { CodemodFs, FileResult, FileTask } from './file.js';
import { effectiveCpus, runTasks } from './pool.js';
import { exitCodeFor, formatFileLine, formatSummary, summarize } from './report.js';
import type { FileReport, RunMode, RunReport } from './report.js';

export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/** Everything `main` touches outside its arguments, so tests can run it in-process. */
export interface CodemodIo {
  cwd?: string;
  stdout?: OutputStream;
  stderr?: OutputStream;
  /** Replaces the registry (tests use small transforms that do not depend on the real one). */
  transforms?: CodemodRegistry;
  /** Replaces the file system used to read and write files (forces a single thread). */
  fs?: CodemodFs;
  /** Worker script to use instead of the one next to this module (tests point it at dist/). */
  workerUrl?: URL;
  /** Cores to assume when --cpus is not given. */
  availableCpus?: number;
}

export const EXIT_OK = 0;
export const EXIT_CHECK_FOUND_CHANGES = 1;
export const EXIT_ERROR = 2;

interface ParsedOptions {
  dry?: boolean;
  print?: boolean;
  check?: boolean;
  json?: boolean;
  extensions: string[];
  ignore: string[];
  gitignore: boolean;
  cpus?: number;
}

function parseExtensions(value: string): string[] {
  const extensions = [
    ...new Set(
      value
        .split(',')
        .map((extension) => extension.trim().replace(/^\./, '').toLowerCase())
        .filter((extension) => extension !== ''),
    ),
  ];
  if (extensions.length === 0) throw new InvalidArgumentError('give at least one extension, e.g. "ts,tsx".');
  const unsupported = extensions.filter((extension) => !SUPPORTED_EXTENSIONS.includes(extension));
  if (unsupported.length > 0) {
    throw new InvalidArgumentError(
      `no parser for ${unsupported.map((e) => `"${e}"`).join(', ')}; supported: ${SUPPORTED_EXTENSIONS.join(',')}.`,
    );
  }
  return extensions;
}

function parseCpus(value: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new InvalidArgumentError('expected a whole number of at least 1.');
  }
  return Number(value);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function describeTransforms(transforms: CodemodRegistry): string {
  const names = Object.keys(transforms);
  const width = Math.max(...names.map((name) => name.length));
  return names.map((name) => `  ${name.padEnd(width)}  ${transforms[name]?.description ?? ''}`).join('\n');
}

function buildProgram(transforms: CodemodRegistry, stdout: OutputStream, stderr: OutputStream): Command {
  return new Command()
    .name('ctx-codemod')
    .description('Run an eslint-plugin-ctx codemod over files and directories.')
    .argument('<transform>', 'the transform to run (listed below)')
    .argument('<paths...>', 'files and directories to transform')
    .option('--dry', 'transform but write nothing; report what would change')
    .addOption(new Option('--print', 'print the transformed sources to stdout; write nothing').conflicts('json'))
    .option('--check', 'write nothing; exit 1 when any file would change (for CI and pre-commit)')
    .option('--json', 'print one JSON report on stdout (per file and a summary) instead of text')
    .addOption(
      new Option('--extensions <list>', 'comma-separated extensions looked for in directories')
        .argParser(parseExtensions)
        .default([...SUPPORTED_EXTENSIONS], SUPPORTED_EXTENSIONS.join(',')),
    )
    .addOption(
      new Option('--ignore <glob>', 'skip files matching the glob (relative to the current directory); repeatable')
        .argParser(collect)
        .default([], 'none; node_modules is always skipped'),
    )
    .option('--no-gitignore', 'do not honour .gitignore files (they are honoured by default)')
    .option('--cpus <n>', 'worker threads to use (default: available cores - 1; 1 runs in-process)', parseCpus)
    .version(PACKAGE_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `\nTransforms:\n${describeTransforms(transforms)}\n\n` +
        'Exit codes: 0 done, 1 --check found files that would change, 2 errors (bad arguments,\n' +
        'a path that cannot be read, a file that does not parse or cannot be written).\n',
    )
    .showHelpAfterError('(run "ctx-codemod --help" for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    });
}

function modeOf(options: ParsedOptions): RunMode {
  if (options.check) return 'check';
  if (options.print) return 'print';
  if (options.dry) return 'dry';
  return 'write';
}

/**
 * The CLI, callable in-process: parses `argv` (without `node` and the script), runs the
 * transform, reports, and returns the exit code (0 done, 1 --check found changes, 2 errors).
 */
export async function main(argv: readonly string[], io: CodemodIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const transforms = io.transforms ?? codemods;
  const program = buildProgram(transforms, stdout, stderr);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    throw error;
  }

  const [transformName, paths] = program.processedArgs as [string, string[]];
  const entry = Object.hasOwn(transforms, transformName) ? transforms[transformName] : undefined;
  if (entry === undefined) {
    stderr.write(`ctx-codemod: unknown transform "${transformName}". Known transforms:\n${describeTransforms(transforms)}\n`);
    return EXIT_ERROR;
  }
  try {
    return await runCodemod(transformName, entry, paths, program.opts<ParsedOptions>(), io, stdout, stderr);
  } catch (error) {
    // Per-file failures are reports, never exceptions; reaching this is a bug in the CLI itself.
    // Still exit 2 (not Node's 1, which means "--check found changes") and say what happened.
    stderr.write(`ctx-codemod: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_ERROR;
  }
}

async function runCodemod(
  transformName: string,
  entry: CodemodEntry,
  paths: readonly string[],
  options: ParsedOptions,
  io: CodemodIo,
  stdout: OutputStream,
  stderr: OutputStream,
): Promise<number> {
  const startedAt = performance.now();
  const mode = modeOf(options);
  const cwd = io.cwd ?? process.cwd();
  const discovered = await discoverFiles({
    cwd,
    paths,
    extensions: options.extensions,
    ignore: options.ignore,
    gitignore: options.gitignore,
  });

  // `results` follows discovery (command-line) order; `slotOfTask` maps a task back to its slot,
  // because worker results arrive in completion order.
  const tasks: FileTask[] = [];
  const slotOfTask: number[] = [];
  const results: Array<FileResult | undefined> = discovered.map((item, slot) => {
    if ('report' in item) return { report: item.report };
    tasks.push(item.task);
    slotOfTask.push(slot);
    return undefined;
  });

  const requestedCpus = options.cpus ?? Math.max(1, (io.availableCpus ?? availableParallelism()) - 1);
  const cpus = effectiveCpus({ cpus: requestedCpus, entry, fs: io.fs }, tasks.length);
  const printHeaders = Boolean(options.print) && tasks.length > 1;

  const bar =
    !options.json && stderr.isTTY && tasks.length > 0
      ? new cliProgress.SingleBar(
          {
            stream: stderr as NodeJS.WritableStream,
            format: `${transformName} {bar} {value}/{total} files | {changed} changed | {errors} errors`,
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  let changedSoFar = 0;
  let errorsSoFar = 0;
  bar?.start(tasks.length, 0, { changed: 0, errors: 0 });

  // Emit per-file lines and printed sources in command-line order as soon as a prefix is complete.
  let emitted = 0;
  const linesForLater: string[] = [];
  const emitReady = (): void => {
    while (emitted < results.length && results[emitted] !== undefined) {
      const result = results[emitted] as FileResult;
      // Printed sources are not kept for the whole run: only the report is needed from here on.
      results[emitted] = { report: result.report };
      emitted++;
      if (options.print && result.output !== undefined) {
        if (printHeaders) stdout.write(`==> ${result.report.file} <==\n`);
        stdout.write(result.output);
        // Keep the next header on its own line; a single file is printed exactly as it would be written.
        if (printHeaders && !result.output.endsWith('\n')) stdout.write('\n');
      }
      if (options.json) continue;
      const line = formatFileLine(result.report, mode);
      if (line === undefined) continue;
      // A progress bar owns the terminal's last line; the lines wait until it is gone.
      if (bar) linesForLater.push(line);
      else stderr.write(line + '\n');
    }
  };
  emitReady();

  const threadsUsed = await runTasks(
    tasks,
    {
      entry,
      cpus,
      fileOptions: { write: mode === 'write', keepOutput: Boolean(options.print) },
      ...(io.fs ? { fs: io.fs } : {}),
      ...(io.workerUrl ? { workerUrl: io.workerUrl } : {}),
      onWorkersUnavailable: (error) => {
        if (!options.json) stderr.write(`ctx-codemod: worker threads unavailable (${error.message}); continuing in one thread.\n`);
      },
    },
    (index, result) => {
      results[slotOfTask[index] as number] = result;
      if (result.report.status === 'changed') changedSoFar++;
      if (result.report.status === 'error') errorsSoFar++;
      bar?.increment(1, { changed: changedSoFar, errors: errorsSoFar });
      emitReady();
    },
  );
  bar?.stop();
  for (const line of linesForLater) stderr.write(line + '\n');

  const files: FileReport[] = results.map((result) => (result as FileResult).report);
  const summary = summarize(files, performance.now() - startedAt, threadsUsed);
  const report: RunReport = { transform: transformName, mode, exitCode: exitCodeFor(summary, mode), files, summary };
  if (options.json) stdout.write(JSON.stringify(report, null, 2) + '\n');
  else stderr.write(formatSummary(report));
  return report.exitCode;
}
