/** One judged line of `real-code/expectations.txt`. */
export interface Entry {
  /** `pkg@version/path:line` */
  site: string;
  rule: string;
  /** The messageId the rule reports there, or `no-report`. */
  observed: string;
  /** `right`, `wrong-verdict:<id>`, `false-report`, `missed:<id>` or `unjudged`. */
  verdict: string;
  reason: string;
}

/** One report of a run, reduced to what the expectations compare. */
export interface Report {
  site: string;
  rule: string;
  messageId: string;
}

export type Difference =
  | { kind: 'new'; site: string; rule: string; messageId: string; was: Entry | undefined }
  | { kind: 'missing'; site: string; rule: string; was: Entry }
  | { kind: 'changed'; site: string; rule: string; was: Entry; messageId: string };

export interface RulePrecision {
  rule: string;
  reports: number;
  right: number;
  wrongVerdict: number;
  falseReport: number;
  unjudged: number;
  clean: number;
  missed: number;
}

export const NO_REPORT: 'no-report';
export const UNJUDGED: 'unjudged';
export function parseSite(site: string): { pkg: string; version: string; file: string; line: number } | undefined;
export function truthOf(observed: string, verdict: string): string | null | undefined;
export function verdictFor(observed: string, truth: string | null | undefined): string;
export function parseExpectations(text: string): { entries: Entry[]; errors: string[] };
export function compare(entries: Entry[], reports: Report[]): { differences: Difference[]; updated: Entry[] };
export function describeDifference(difference: Difference): string;
export function formatExpectations(entries: Entry[], header: string): string;
export function precisionByRule(entries: Entry[]): RulePrecision[];
export function formatPrecision(rows: RulePrecision[]): string;
