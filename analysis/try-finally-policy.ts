// The detector's options as the rule, the codemod and their tests all build them from what they
// know of a file: one place, so the twins cannot drift apart on which sites a policy converts.

import type { AnalysisOptions, SourceComment, TrySite } from './try-finally-cleanup.js';
import { dialectForPath } from './try-finally-parse.js';

export interface CleanupPolicyInput {
  /** `ctx/prefer-using`'s `allSites` option, `ctx-codemod --all-sites`: lone side effects too. */
  allSites?: boolean | undefined;
  /** The file's path: its extension says whether it is TypeScript (`implicit-any-capture`). */
  filePath: string;
  /** The file's comments (for `// ctx-codemod-ignore-next-line`), when the root node lacks them. */
  comments?: readonly unknown[] | undefined;
  /** The file's try/finally statements, when the caller has walked the tree already. */
  tries?: readonly TrySite[] | undefined;
}

export function cleanupPolicyFor({ allSites, filePath, comments, tries }: CleanupPolicyInput): AnalysisOptions {
  const policy: AnalysisOptions = { allSites: allSites === true, typescript: dialectForPath(filePath) !== 'babel' };
  // The comment nodes of Babel's File and ESLint's SourceCode both carry type, value and loc.
  if (comments) policy.comments = comments as readonly SourceComment[];
  if (tries) policy.tries = tries;
  return policy;
}
