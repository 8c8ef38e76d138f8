import type { API, FileInfo } from 'jscodeshift';

import { transformSource } from '../analysis/try-finally-rewrite.js';

// The codemod `try-finally-to-using`: rewrites hand-written try/finally cleanups into `using` /
// DisposableStack. The detector (analysis/try-finally-cleanup.ts) decides and the printer
// (analysis/try-finally-rewrite.ts) writes; the rule `ctx/prefer-using` shares both, so its
// suggestions are this codemod's rewrites. See docs/codemods/try-finally-to-using.md.

export {
  refusalReasons,
  rewriteCleanupSite,
  transformSource,
  type Refusal,
  type RefusalReason,
  type SiteLocation,
  type TransformOptions,
  type TransformResult,
} from '../analysis/try-finally-rewrite.js';

/** The jscodeshift entry point: `jscodeshift -t dist/codemods/try-finally-to-using.js`. */
export default function transform(file: FileInfo, _api: API, options?: Record<string, unknown>): string | undefined {
  // jscodeshift passes its unknown command-line flags through: `--allSites` or `--all-sites`.
  const allSites = options?.['allSites'] === true || options?.['all-sites'] === true;
  const result = transformSource(file.source, file.path, { allSites });
  return result.changed ? result.output : undefined;
}
