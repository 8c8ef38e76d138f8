import type { API, FileInfo } from 'jscodeshift';

// Scaffold only: replaced by the real transform. The exported shapes are the contract
// between the transform, the `ctx-codemod` CLI and the `prefer-using` rule.

/** Why a try/finally site was left alone (stable ids: the CLI counts them, docs list them). */
export type RefusalReason = string;

export interface SiteLocation {
  line: number;
  column: number;
}

export interface Refusal extends SiteLocation {
  reason: RefusalReason;
  message: string;
}

export interface TransformResult {
  /** The new source; equal to the input when nothing changed. */
  output: string;
  changed: boolean;
  converted: SiteLocation[];
  refused: Refusal[];
}

/** Throws (with the file path and position in the message) when the source does not parse. */
export function transformSource(source: string, _filePath: string): TransformResult {
  return { output: source, changed: false, converted: [], refused: [] };
}

/** The jscodeshift entry point: `jscodeshift -t dist/codemods/try-finally-to-using.js`. */
export default function transform(file: FileInfo, _api: API): string | undefined {
  const result = transformSource(file.source, file.path);
  return result.changed ? result.output : undefined;
}
