import { createHash } from 'node:crypto';
import { realpath } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';

import cliProgress from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { PACKAGE_VERSION } from '../../lib/package-info.js';
import { codemods } from '../index.js';
import type { CodemodEntry, CodemodRegistry } from '../index.js';
import { discoverFiles, SUPPORTED_EXTENSIONS } from './discovery.js';
import type { CodemodFs, FileOptions, FileResult, FileTask } from './file.js';
import { EslintGlobalsChecker, parseTarget, RuntimeChecker, TypesChecker } from './environment.js';
import type { RuntimeTarget } from './environment.js';
import { filesWithUnsavedWork } from './git.js';
import { effectiveCpus, runTasks } from './pool.js';
import { escapeControlCharacters, exitCodeFor, formatFileLine, formatSummary, summarize } from './report.js';
import type { FileReport, RunMode, RunReport, RunWarning, WarningId } from './report.js';

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
  /**
   * Source bytes (of files that pass the text pre-check) that justify one worker thread;
   * tests set 0 to get every --cpus thread on tiny files. See BYTES_PER_WORKER.
   */
  bytesPerWorker?: number;
  /** Environment read for colour decisions (FORCE_COLOR, NO_COLOR, TERM); process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
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
  diff?: boolean;
  force?: boolean;
  shard?: Shard;
  allSites?: boolean;
  style?: 'finally' | 'using';
  target: RuntimeTarget;
}

interface Shard {
  index: number;
  count: number;
}

function parseShard(value: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InvalidArgumentError('expected i/n with 1 <= i <= n, e.g. 1/3.');
  }
  return { index, count };
}

function parseTargetOption(value: string): RuntimeTarget {
  const target = parseTarget(value);
  if (typeof target === 'string') throw new InvalidArgumentError(target);
  return target;
}

/**
 * Which shard a file belongs to: a hash of its path relative to the working directory (with
 * `/`), so every job of a CI matrix computes the same split whatever order it finds files in,
 * and adding a file never moves the others.
 */
export function shardOf(file: string, count: number): number {
  const digest = createHash('sha256').update(file.split(path.sep).join('/')).digest();
  return (digest.readUInt32BE(0) % count) + 1;
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
    .usage('[options] <transform> <paths...>')
    // Optional for commander so a missing one gets our message (with the transforms) instead of its own.
    .argument('[transform]', 'the transform to run (listed below)')
    .argument('[paths...]', 'files and directories to transform')
    .option('--dry', 'transform but write nothing; report what would change')
    .addOption(new Option('--print', 'print the transformed sources to stdout; write nothing').conflicts('json'))
    .option('--check', 'write nothing; exit 1 when any file would change (for CI and pre-commit)')
    .option('--json', 'print one JSON report on stdout (per file and a summary) instead of text')
    .addOption(
      new Option('--diff', 'write nothing; print a unified diff of every file that would change to stdout')
        .conflicts(['json', 'print']),
    )
    .option('--force', 'write even files with uncommitted changes (git could not restore them)')
    .addOption(new Option('--shard <i/n>', 'process only shard i of n (1-based) of the files; for CI matrices').argParser(parseShard))
    .option('--all-sites', 'also convert sites a transform leaves alone by default (e.g. a lone side-effect cleanup)')
    .addOption(new Option('--style <style>', 'scope-stdout-rebinding: scope with try/finally or a DisposableStack').choices(['finally', 'using']))
    .addOption(
      new Option('--target <runtime>', 'where converted code runs: auto, engines, native, polyfilled, or a Node.js range')
        .argParser(parseTargetOption)
        .default({ kind: 'auto' }, 'auto'),
    )
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
        'a path that cannot be read, a file that does not parse or cannot be written, uncommitted\n' +
        'changes in a file it would rewrite: see --force).\n',
    )
    .showHelpAfterError('(run "ctx-codemod --help" for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    });
}

const USAGE_HINT = 'Usage: ctx-codemod [options] <transform> <paths...>  (run "ctx-codemod --help" for more)\n';

function modeOf(options: ParsedOptions): RunMode {
  if (options.check) return 'check';
  if (options.print) return 'print';
  if (options.diff) return 'diff';
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

  const [transformName, paths] = program.processedArgs as [string | undefined, string[]];
  if (transformName === undefined) {
    stderr.write(`ctx-codemod: name a transform. Known transforms:\n${describeTransforms(transforms)}\n${USAGE_HINT}`);
    return EXIT_ERROR;
  }
  const entry = Object.hasOwn(transforms, transformName) ? transforms[transformName] : undefined;
  if (entry === undefined) {
    const name = escapeControlCharacters(transformName);
    stderr.write(`ctx-codemod: unknown transform "${name}". Known transforms:\n${describeTransforms(transforms)}\n${USAGE_HINT}`);
    return EXIT_ERROR;
  }
  if (paths.length === 0) {
    // No implicit `.`: rewriting a whole tree should be asked for.
    stderr.write(`ctx-codemod: name the files or directories to transform (\`.\` for the current directory).\n${USAGE_HINT}`);
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
  const everyEntry = await discoverFiles({
    cwd,
    paths,
    extensions: options.extensions,
    ignore: options.ignore,
    gitignore: options.gitignore,
  });
  const shard = options.shard;
  // Everything is sharded, settled reports too (a missing path fails the one job that owns it):
  // the shards of a matrix together list each file exactly once.
  const discovered = shard
    ? everyEntry.filter((item) => shardOf('report' in item ? item.report.file : item.task.file, shard.count) === shard.index)
    : everyEntry;

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

  const runtime = entry.requires === 'disposable-stack' ? new RuntimeChecker(options.target) : undefined;
  if (runtime?.refuses) {
    for (const task of tasks) {
      const { problem } = runtime.check(task.realPath);
      if (problem !== undefined) {
        task.refuse = { reason: 'runtime-target', message: `${problem}; pass --target polyfilled if the program loads one` };
      }
    }
  }

  const requestedCpus = options.cpus ?? Math.max(1, (io.availableCpus ?? availableParallelism()) - 1);
  const cpus = effectiveCpus({ cpus: requestedCpus, entry, fs: io.fs }, tasks.length);
  const printHeaders = Boolean(options.print) && tasks.length > 1;
  const colour = wantsColour(stdout, io.env ?? process.env);
  const fileOptions = (write: boolean): FileOptions => ({
    write,
    keepOutput: Boolean(options.print),
    diff: Boolean(options.diff),
    transformOptions: { allSites: Boolean(options.allSites), ...(options.style ? { style: options.style } : {}) },
    ...(entry.mightMatch ? { mightMatch: entry.mightMatch } : {}),
  });
  const poolOptions = {
    entry,
    cpus,
    ...(io.fs ? { fs: io.fs } : {}),
    ...(io.workerUrl ? { workerUrl: io.workerUrl } : {}),
    ...(io.bytesPerWorker !== undefined ? { bytesPerWorker: io.bytesPerWorker } : {}),
    onWorkersUnavailable: (error: Error) => {
      if (!options.json) stderr.write(`ctx-codemod: worker threads unavailable (${error.message}); continuing in one thread.\n`);
    },
  };

  // Writing over work git cannot give back is refused (react-codemod's and next-codemod's rule):
  // the files with such work are transformed first without writing, and if any would change,
  // nothing at all is written.
  const settledEarly = new Map<number, FileResult>();
  if (mode === 'write' && !options.force) {
    const roots = await Promise.all(
      paths.map(async (given) => {
        const absolute = path.resolve(cwd, given);
        try {
          return await realpath(absolute);
        } catch {
          return undefined;
        }
      }),
    );
    const taskFiles = new Set(tasks.map((task) => task.realPath));
    const unsaved =
      tasks.length === 0
        ? new Set<string>()
        : await filesWithUnsavedWork(
            roots
              .filter((root): root is string => root !== undefined)
              .map((root) => (taskFiles.has(root) ? path.dirname(root) : root)),
          );
    const atRisk = [...tasks.keys()].filter((index) => unsaved.has((tasks[index] as FileTask).realPath));
    if (atRisk.length > 0) {
      const atRiskTasks = atRisk.map((index) => tasks[index] as FileTask);
      await runTasks(atRiskTasks, { ...poolOptions, fileOptions: fileOptions(false) }, (position, result) => {
        settledEarly.set(atRisk[position] as number, result);
      });
      const wouldLose = atRisk.filter((index) => settledEarly.get(index)?.report.status === 'changed');
      if (wouldLose.length > 0) {
        return refuseUnsavedWork(transformName, wouldLose.map((index) => tasks[index] as FileTask), options, startedAt, stdout, stderr);
      }
    }
  }

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
      if (result.diff !== undefined) stdout.write(colour ? colourDiff(result.diff) : result.diff);
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

  const settle = (index: number, result: FileResult): void => {
    results[slotOfTask[index] as number] = result;
    if (result.report.status === 'changed') changedSoFar++;
    if (result.report.status === 'error') errorsSoFar++;
    bar?.increment(1, { changed: changedSoFar, errors: errorsSoFar });
    emitReady();
  };
  for (const [index, result] of settledEarly) settle(index, result);
  const remaining = [...tasks.keys()].filter((index) => !settledEarly.has(index));
  const threadsUsed = await runTasks(
    remaining.map((index) => tasks[index] as FileTask),
    { ...poolOptions, fileOptions: fileOptions(mode === 'write') },
    (position, result) => settle(remaining[position] as number, result),
  );
  bar?.stop();
  for (const line of linesForLater) stderr.write(line + '\n');

  const files: FileReport[] = results.map((result) => (result as FileResult).report);
  const converted = tasks
    .map((task, index) => ({ task, report: files[slotOfTask[index] as number] as FileReport }))
    .filter(({ report }) => report.status === 'changed')
    .map(({ task }) => task.realPath);
  const warnings = entry.requires === 'disposable-stack' ? await disposableStackWarnings(converted, runtime, cwd) : [];
  const summary = summarize(files, {
    durationMs: performance.now() - startedAt,
    cpus: threadsUsed,
    ...(entry.requestedSkipReasons ? { requestedSkipReasons: entry.requestedSkipReasons } : {}),
    warnings,
  });
  const report: RunReport = {
    transform: transformName,
    mode,
    ...(shard ? { shard } : {}),
    exitCode: exitCodeFor(summary, mode),
    files,
    summary,
  };
  if (options.json) stdout.write(JSON.stringify(report, null, 2) + '\n');
  else stderr.write(formatSummary(report));
  return report.exitCode;
}

/** Under `--json`, the refusal is the run's report; otherwise a message and the usual summary. */
function refuseUnsavedWork(
  transformName: string,
  atRisk: readonly FileTask[],
  options: ParsedOptions,
  startedAt: number,
  stdout: OutputStream,
  stderr: OutputStream,
): number {
  const files: FileReport[] = atRisk.map((task) => ({
    file: task.file,
    status: 'error',
    reason: 'uncommitted-changes',
    message: 'has changes git could not restore (unstaged or untracked); commit or stash them, or pass --force',
    converted: [],
    refused: [],
  }));
  const summary = summarize(files, { durationMs: performance.now() - startedAt, cpus: 1 });
  const report: RunReport = { transform: transformName, mode: 'write', exitCode: EXIT_ERROR, files, summary };
  if (options.json) {
    stdout.write(JSON.stringify(report, null, 2) + '\n');
    return EXIT_ERROR;
  }
  for (const file of files) stderr.write(formatFileLine(file, 'write') + '\n');
  stderr.write(
    `ctx-codemod: nothing written: ${atRisk.length === 1 ? 'this file has' : `these ${atRisk.length} files have`} ` +
      'uncommitted changes the rewrite would mix with its own. Commit or stash them first, preview with --diff, ' +
      'or pass --force to write anyway.\n',
  );
  return EXIT_ERROR;
}

/** FORCE_COLOR wins, then NO_COLOR (https://no-color.org), then "is stdout a terminal". */
function wantsColour(stdout: OutputStream, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stdout.isTTY) && env.TERM !== 'dumb';
}

const SGR = { bold: ['\u001b[1m', '\u001b[22m'], red: ['\u001b[31m', '\u001b[39m'], green: ['\u001b[32m', '\u001b[39m'], cyan: ['\u001b[36m', '\u001b[39m'] } as const;

/** Colours a unified diff as `git diff` does; a line's own `\r` stays after the reset. */
export function colourDiff(diff: string): string {
  return diff.replace(/^.*$/gm, (line) => {
    const style = /^(---|\+\+\+) /.test(line) ? SGR.bold : line.startsWith('@@') ? SGR.cyan : line.startsWith('+') ? SGR.green : line.startsWith('-') ? SGR.red : undefined;
    if (style === undefined || line === '') return line;
    const carriageReturn = line.endsWith('\r') ? '\r' : '';
    return `${style[0]}${line.slice(0, line.length - carriageReturn.length)}${style[1]}${carriageReturn}`;
  });
}

/** What the converted files' projects lack for DisposableStack, one warning per package.json / tsconfig.json. */
async function disposableStackWarnings(
  convertedFiles: readonly string[],
  runtime: RuntimeChecker | undefined,
  cwd: string,
): Promise<RunWarning[]> {
  const grouped = new Map<string, RunWarning>();
  const add = (id: WarningId, config: string | undefined, message: string): void => {
    const key = `${id}\0${config ?? ''}\0${message}`;
    const known = grouped.get(key);
    if (known) known.files++;
    else grouped.set(key, { id, ...(config ? { config: path.relative(cwd, config) || config } : {}), message, files: 1 });
  };
  const types = new TypesChecker();
  const globals = new EslintGlobalsChecker(cwd);
  for (const file of convertedFiles) {
    // A refusing target turned these files into skips already; a warning would repeat it.
    if (runtime && !runtime.refuses) {
      const verdict = runtime.check(file);
      if (verdict.problem !== undefined) {
        add('runtime-target', verdict.packageJson, `${verdict.problem}; raise engines.node, or pass --target polyfilled (or native) to say it is handled`);
      }
    }
    const typesProblem = types.check(file);
    if (typesProblem) add('typescript-lib', typesProblem.tsconfig, typesProblem.message);
    const globalsProblem = await globals.check(file);
    if (globalsProblem) add('eslint-globals', globalsProblem.config, globalsProblem.message);
  }
  return [...grouped.values()];
}
