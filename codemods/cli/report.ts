import type { SiteLocation, SiteRefusal } from '../index.js';

/**
 * What happened to one file. `changed` means "the transform rewrote it": written in the default
 * mode, only reported under `--dry`, `--check` and `--print`.
 */
export type FileStatus = 'changed' | 'unchanged' | 'skipped' | 'error';

/** Stable ids for why a file was skipped or failed (each documented in docs/codemods/cli.md). */
export const SKIP_REASONS = [
  'ignored',
  'unsupported-extension',
  'declaration-file',
  'minified-file',
  'symlink-outside-root',
  'broken-symlink',
  'duplicate',
  'not-utf8',
  'runtime-target',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export const ERROR_REASONS = [
  'not-found',
  'unreadable',
  'parse-error',
  'transform-failed',
  'modified-during-run',
  'write-failed',
  'uncommitted-changes',
] as const;
export type ErrorReason = (typeof ERROR_REASONS)[number];

export interface FileReport {
  /** Path relative to the working directory (as typed, for paths given on the command line). */
  file: string;
  status: FileStatus;
  reason?: SkipReason | ErrorReason;
  message?: string;
  /** Position of a parse error (1-based line, 0-based column), when the parser gave one. */
  line?: number;
  column?: number;
  /** False when the transform's text pre-check ruled the file out: it was read, never parsed. */
  parsed?: false;
  converted: SiteLocation[];
  refused: SiteRefusal[];
}

export type RunMode = 'write' | 'dry' | 'check' | 'print' | 'diff';

/** Ids of what converted code may lack, each documented in docs/codemods/cli.md. */
export const WARNING_IDS = ['runtime-target', 'typescript-lib', 'eslint-globals'] as const;
export type WarningId = (typeof WARNING_IDS)[number];

/** Something converted code needs that its project does not give it (the CLI never edits configs). */
export interface RunWarning {
  id: WarningId;
  /** The configuration file concerned, relative to the working directory, when there is one. */
  config?: string;
  message: string;
  /** Converted files (changed, or would change) it concerns. */
  files: number;
}

export interface RunSummary {
  files: number;
  changed: number;
  unchanged: number;
  skipped: number;
  errors: number;
  /** Sites converted, over all files. */
  converted: number;
  /** Files read but never parsed: the transform's text pre-check showed they cannot match. */
  notParsed: number;
  /** Sites left alone, over all files (not counting those skipped on request), and by reason id. */
  refused: number;
  /** Sites skipped on the user's request (a skip comment); their reasons are in `refusalReasons` too. */
  skippedOnRequest: number;
  refusalReasons: Record<string, number>;
  skipReasons: Record<string, number>;
  errorReasons: Record<string, number>;
  durationMs: number;
  filesPerSecond: number;
  cpus: number;
  warnings: RunWarning[];
}

export interface RunReport {
  transform: string;
  mode: RunMode;
  /** `--shard i/n`: this run covered shard `index` (1-based) of `count`. */
  shard?: { index: number; count: number };
  exitCode: number;
  files: FileReport[];
  summary: RunSummary;
}

function countInto(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Keys in a stable order (most frequent first, then by name) so summaries diff cleanly. */
function sortedCounts(counts: Record<string, number>): Record<string, number> {
  const entries = Object.entries(counts).sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  return Object.fromEntries(entries);
}

export interface SummaryContext {
  durationMs: number;
  cpus: number;
  /** Refusal reasons that are the user's own choice (CodemodEntry.requestedSkipReasons). */
  requestedSkipReasons?: readonly string[];
  warnings?: RunWarning[];
}

export function summarize(files: readonly FileReport[], context: SummaryContext): RunSummary {
  const { durationMs, cpus } = context;
  const requested = new Set(context.requestedSkipReasons ?? []);
  const summary: RunSummary = {
    files: files.length,
    changed: 0,
    unchanged: 0,
    skipped: 0,
    errors: 0,
    converted: 0,
    notParsed: 0,
    refused: 0,
    skippedOnRequest: 0,
    refusalReasons: {},
    skipReasons: {},
    errorReasons: {},
    durationMs: Math.round(durationMs),
    filesPerSecond: 0,
    cpus,
    warnings: context.warnings ?? [],
  };
  for (const report of files) {
    if (report.status === 'changed') summary.changed++;
    else if (report.status === 'unchanged') summary.unchanged++;
    else if (report.status === 'skipped') {
      summary.skipped++;
      countInto(summary.skipReasons, report.reason ?? 'unknown');
    } else {
      summary.errors++;
      countInto(summary.errorReasons, report.reason ?? 'unknown');
    }
    if (report.parsed === false) summary.notParsed++;
    summary.converted += report.converted.length;
    for (const refusal of report.refused) {
      if (requested.has(refusal.reason)) summary.skippedOnRequest++;
      else summary.refused++;
      countInto(summary.refusalReasons, refusal.reason);
    }
  }
  summary.refusalReasons = sortedCounts(summary.refusalReasons);
  summary.skipReasons = sortedCounts(summary.skipReasons);
  summary.errorReasons = sortedCounts(summary.errorReasons);
  // Files actually read and transformed; skipped paths cost nothing worth measuring.
  const processed = summary.changed + summary.unchanged + summary.errors;
  summary.filesPerSecond = durationMs > 0 ? Math.round((processed / durationMs) * 1000 * 10) / 10 : 0;
  return summary;
}

/** Exit codes: 2 for any error (it outranks everything), 1 when `--check` found changes, else 0. */
export function exitCodeFor(summary: RunSummary, mode: RunMode): number {
  if (summary.errors > 0) return 2;
  if (mode === 'check' && summary.changed > 0) return 1;
  return 0;
}

/**
 * A file name or message as one safe terminal line: control characters (a newline in a file
 * name, an escape sequence or a bidirectional override in a parser message) become escapes
 * instead of moving the cursor, recolouring the terminal or forging another line.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(/[\p{Cc}\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (char) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** `:line:column` as editors and compilers print it (1-based column; JSON keeps Babel's 0-based). */
function position(report: FileReport): string {
  return report.line === undefined ? '' : `:${report.line}:${(report.column ?? 0) + 1}`;
}

/** One plain line per file worth a line (changed, skipped, error); unchanged files stay quiet. */
export function formatFileLine(report: FileReport, mode: RunMode): string | undefined {
  const line = rawFileLine({ ...report, file: escapeControlCharacters(report.file) }, mode);
  return line === undefined ? undefined : escapeControlCharacters(line);
}

function rawFileLine(report: FileReport, mode: RunMode): string | undefined {
  switch (report.status) {
    case 'unchanged':
      return undefined;
    case 'changed': {
      const verb = mode === 'write' ? 'changed' : 'would change';
      const refused = report.refused.length > 0 ? `, ${report.refused.length} left alone` : '';
      return `${verb}: ${report.file} (${report.converted.length} converted${refused})`;
    }
    case 'skipped':
      return `skipped: ${report.file} (${report.reason ?? 'unknown'}${report.message ? `: ${report.message}` : ''})`;
    case 'error':
      return `error: ${report.file}${position(report)} (${report.reason ?? 'unknown'}): ${report.message ?? ''}`;
  }
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function reasonLines(title: string, counts: Record<string, number>): string[] {
  const entries = Object.entries(counts);
  if (entries.length === 0) return [];
  return [`${title}:`, ...entries.map(([reason, count]) => `  ${reason}: ${count}`)];
}

export function formatSummary(report: RunReport): string {
  const { summary, mode } = report;
  const changedWord = mode === 'write' ? 'changed' : 'would change';
  const shard = report.shard ? ` (shard ${report.shard.index}/${report.shard.count})` : '';
  const onRequest = summary.skippedOnRequest > 0 ? `, ${summary.skippedOnRequest} skipped on request` : '';
  const notParsed = summary.notParsed > 0 ? ` (${summary.notParsed} ruled out without parsing)` : '';
  const lines = [
    `${report.transform}${shard}: ${plural(summary.files, 'file')} in ${(summary.durationMs / 1000).toFixed(2)}s ` +
      `(${summary.filesPerSecond} files/s, ${plural(summary.cpus, 'cpu')})`,
    `  ${summary.changed} ${changedWord}, ${summary.unchanged} unchanged, ${summary.skipped} skipped, ` +
      `${plural(summary.errors, 'error')}${notParsed}`,
    `  ${plural(summary.converted, 'site')} converted, ${summary.refused} left alone${onRequest}`,
    ...reasonLines('Left alone, by reason', summary.refusalReasons),
    ...reasonLines('Skipped, by reason', summary.skipReasons),
    ...reasonLines('Errors, by reason', summary.errorReasons),
    ...summary.warnings.map(
      (warning) =>
        `warning (${warning.id}): ${warning.config ? `${escapeControlCharacters(warning.config)}: ` : ''}${warning.message} ` +
        `(${plural(warning.files, 'converted file')})`,
    ),
  ];
  if (mode === 'check' && summary.changed > 0) {
    lines.push(`--check: ${plural(summary.changed, 'file')} would change; run without --check to rewrite.`);
  }
  return lines.join('\n') + '\n';
}
