import { readFile, stat } from 'node:fs/promises';

import { createTwoFilesPatch } from 'diff';
import writeFileAtomic from 'write-file-atomic';

import type { TransformOptions, TransformSource } from '../index.js';
import type { ErrorReason, FileReport, SkipReason } from './report.js';

/** The file-system calls a run makes; tests inject failures here (root can read a chmod 000 file). */
export interface CodemodFs {
  stat(path: string): Promise<{ isFile(): boolean; mtimeMs: number; size: number }>;
  readFile(path: string): Promise<Buffer>;
  /** Temp file in the same directory + rename; keeps the mode and owner of the file it replaces. */
  writeFileAtomic(path: string, data: string): Promise<void>;
}

export const nodeFs: CodemodFs = {
  stat: (path) => stat(path),
  readFile: (path) => readFile(path),
  writeFileAtomic: (path, data) => writeFileAtomic(path, data, { encoding: 'utf8' }),
};

export interface FileTask {
  /** Shown in reports: relative to the working directory. */
  file: string;
  /** Where the file really is (symlinks resolved, checked to be inside the given paths). */
  realPath: string;
  /**
   * Set when the file must not be converted (its runtime target lacks what converted code
   * needs): a file the transform would change is reported `skipped` with this reason instead.
   */
  refuse?: { reason: SkipReason; message: string };
}

export interface FileOptions {
  /** False under --dry, --check and --print. */
  write: boolean;
  /** --print: hand the transformed source back so it can be printed. */
  keepOutput: boolean;
  /** --diff: hand back a unified diff of each file the transform changes. */
  diff?: boolean;
  /** Passed to the transform as its third argument. */
  transformOptions?: TransformOptions;
  /** The transform's cheap text test: a file it rejects is not parsed (see CodemodEntry). */
  mightMatch?: RegExp;
}

export interface FileResult {
  report: FileReport;
  /** The transformed (or untouched) source, only under --print and only when the file parsed. */
  output?: string;
  /** Under --diff, for a changed file: its unified diff (`--- a/file`, `+++ b/file`). */
  diff?: string;
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

interface ParseErrorDetails {
  line?: number;
  column?: number;
}

/**
 * Babel (and so jscodeshift's `babel`, `ts` and `tsx` parsers) throws a SyntaxError carrying
 * `loc`; the transform may wrap it (as `cause`) to put the file name in the message. Anything
 * else thrown by a transform is a transform bug, not a parse error.
 */
function parseErrorDetails(error: unknown): ParseErrorDetails | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const loc = (current as { loc?: { line?: unknown; column?: unknown } }).loc;
    if (loc && typeof loc.line === 'number') {
      return { line: loc.line, column: typeof loc.column === 'number' ? loc.column : 0 };
    }
    if (current instanceof SyntaxError || current.name === 'SyntaxError') {
      const match = /\((\d+):(\d+)\)|:(\d+):(\d+)/.exec(current.message);
      if (!match) return {};
      return { line: Number(match[1] ?? match[3]), column: Number(match[2] ?? match[4]) };
    }
    current = current.cause;
  }
  return undefined;
}

/**
 * The parser's own words, without the location the report already carries: Babel's message is
 * `<file>: Unexpected token (4:10)`, and the report line adds `file:4:11` itself.
 */
function parseErrorMessage(error: unknown, file: string, details: ParseErrorDetails): string {
  let message = describeError(error);
  // `<file>: …` (Babel) or `<file>:<line>:<column>: …` (a transform naming the place itself).
  const prefix = /^:\d+:\d+: |^: /.exec(message.startsWith(file) ? message.slice(file.length) : '');
  if (prefix) message = message.slice(file.length + prefix[0].length);
  if (details.line !== undefined) {
    message = message.replace(new RegExp(`\\s*\\(${details.line}:${details.column ?? 0}\\)$`), '');
  }
  return message;
}

/** `git diff`-style headers, so `patch -p1` and `git apply` accept the output from the same directory. */
export function unifiedDiff(file: string, before: string, after: string): string {
  const name = file.split('\\').join('/');
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 })
    .replace(/^=+\n/, '');
}

function errorReport(task: FileTask, reason: ErrorReason, message: string): FileReport {
  return { file: task.file, status: 'error', reason, message, converted: [], refused: [] };
}

/**
 * A file read for a run: its text, and what is needed later to write it back safely. Sent to
 * worker threads as is, so a file read once (for the text pre-check) is never read again.
 */
export interface SourceRead {
  source: string;
  /** False when decoding replaced invalid UTF-8: writing the output would alter bytes the transform never meant to touch. */
  exactUtf8: boolean;
  /** mtime and size when read: a file that changed since is not written. */
  mtimeMs: number;
  size: number;
}

/** Stat and read one file; never throws (a failure is the file's report). */
export async function readSource(task: FileTask, fs: CodemodFs = nodeFs): Promise<SourceRead | FileResult> {
  try {
    const before = await fs.stat(task.realPath);
    if (!before.isFile()) {
      // Only reachable for a path named on the command line (discovery lists regular files):
      // reading a FIFO would block, a device might never end.
      return { report: errorReport(task, 'unreadable', 'not a regular file (a FIFO, socket or device?)') };
    }
    const bytes = await fs.readFile(task.realPath);
    const source = bytes.toString('utf8');
    // Invalid UTF-8 always decodes to U+FFFD; without one, the text re-encodes to the same bytes.
    const exactUtf8 = !source.includes('\uFFFD') || Buffer.from(source, 'utf8').equals(bytes);
    return { source, exactUtf8, mtimeMs: before.mtimeMs, size: before.size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { report: errorReport(task, code === 'ENOENT' ? 'not-found' : 'unreadable', describeError(error)) };
  }
}

/** The report of a file the text pre-check rules out: unchanged, never parsed (so never a parse error). */
export function ruledOut(task: FileTask, read: SourceRead, options: FileOptions): FileResult {
  const report: FileReport = { file: task.file, status: 'unchanged', parsed: false, converted: [], refused: [] };
  return { report, ...(options.keepOutput ? { output: read.source } : {}) };
}

/** Whether the transform must see this file, by its cheap text test (see CodemodEntry.mightMatch). */
export function mightMatch(read: SourceRead, options: FileOptions): boolean {
  return options.mightMatch === undefined || options.mightMatch.test(read.source);
}

/**
 * Read, transform and (unless told not to) rewrite one file. Never throws: every failure becomes
 * a report, so one bad file cannot stop the run. The file is written only when the transform's
 * output differs from what was read, so an unchanged file keeps its bytes and its mtime.
 */
export async function processFile(
  task: FileTask,
  transformSource: TransformSource,
  options: FileOptions,
  fs: CodemodFs = nodeFs,
): Promise<FileResult> {
  const read = await readSource(task, fs);
  if ('report' in read) return read;
  if (!mightMatch(read, options)) return ruledOut(task, read, options);
  return transformRead(task, read, transformSource, options, fs);
}

/** `processFile` for a file already read and pre-checked. */
export async function transformRead(
  task: FileTask,
  read: SourceRead,
  transformSource: TransformSource,
  options: FileOptions,
  fs: CodemodFs = nodeFs,
): Promise<FileResult> {
  const { source } = read;
  let result: ReturnType<TransformSource>;
  try {
    result = transformSource(source, task.file, options.transformOptions ?? {});
  } catch (error) {
    const details = parseErrorDetails(error);
    if (!details) return { report: errorReport(task, 'transform-failed', describeError(error)) };
    return { report: { ...errorReport(task, 'parse-error', parseErrorMessage(error, task.file, details)), ...details } };
  }

  const changed = result.output !== source;
  const report: FileReport = {
    file: task.file,
    status: changed ? 'changed' : 'unchanged',
    converted: result.converted,
    refused: result.refused,
  };
  const kept: Omit<FileResult, 'report'> = options.keepOutput ? { output: result.output } : {};
  if (!changed) return { report, ...kept };

  if (!read.exactUtf8) {
    return {
      report: {
        ...report,
        status: 'skipped',
        reason: 'not-utf8',
        message: 'the file is not valid UTF-8; it would not be written back byte-for-byte',
      },
    };
  }
  if (task.refuse) {
    return { report: { ...report, status: 'skipped', reason: task.refuse.reason, message: task.refuse.message } };
  }
  if (options.diff) kept.diff = unifiedDiff(task.file, source, result.output);
  if (!options.write) return { report, ...kept };

  try {
    const now = await fs.stat(task.realPath);
    if (now.mtimeMs !== read.mtimeMs || now.size !== read.size) {
      return { report: errorReport(task, 'modified-during-run', 'the file changed while it was being transformed; not written') };
    }
    await fs.writeFileAtomic(task.realPath, result.output);
  } catch (error) {
    return { report: errorReport(task, 'write-failed', describeError(error)) };
  }
  return { report, ...kept };
}
