// What a rewrite reports about one file, shared by every transform and by the CLI that prints it.

/** Where a rewritten or refused site starts: 1-based line, 0-based column (as Babel and ESLint count). */
export interface SiteLocation {
  line: number;
  column: number;
}

/** A site left alone; `reason` is an id the transform documents, `message` says it in words. */
export interface SiteRefusal<Reason extends string = string> extends SiteLocation {
  reason: Reason;
  message: string;
}

/** What a transform returns for one file. */
export interface SiteRewriteResult<Reason extends string = string> {
  /** The new source; equal to the input when nothing changed. */
  output: string;
  converted: SiteLocation[];
  refused: SiteRefusal<Reason>[];
}
