import { MIGHT_MATCH as splitNestedStacksMightMatch, transformSource as splitNestedStacks } from './split-nested-stacks.js';
import { transformSource as scopeStdoutRebinding } from './scope-stdout-rebinding.js';
import { transformSource as tryFinallyToUsing } from './try-finally-to-using.js';
import type { SiteRewriteResult as CodemodResult } from '../analysis/site-result.js';

export type { SiteLocation, SiteRefusal, SiteRewriteResult as CodemodResult } from '../analysis/site-result.js';

/** Options the CLI passes to every transform (a transform ignores those it has no use for). */
export interface TransformOptions {
  /** `--all-sites`: also convert sites a transform leaves alone by default as not worth it. */
  allSites?: boolean;
  /** `--style`: how `scope-stdout-rebinding` scopes a patch, `finally` (default) or `using` (a DisposableStack). */
  style?: 'finally' | 'using';
}

/** A transform as the CLI runs it: pure, source in, result out; throws when the source does not parse. */
export type TransformSource = (source: string, filePath: string, options?: TransformOptions) => CodemodResult;

export interface CodemodEntry {
  /** One line for `--help` and for the "unknown transform" message. */
  description: string;
  transformSource: TransformSource;
  /**
   * Module (file URL) that exports `transformSource`: worker threads load the transform from
   * here, because functions cannot be sent to a worker. An entry without it runs in-process.
   */
  moduleUrl?: string;
  /**
   * A cheap test on the raw text: a file it does not match cannot contain a site, so it is
   * reported unchanged without being parsed (and so can never be a parse error). A RegExp,
   * not a function, because it must reach worker threads.
   */
  mightMatch?: RegExp;
  /**
   * Refusal reasons that record the user's own choice (a skip comment), not a limit of the
   * transform: listed, but not counted as sites left alone.
   */
  requestedSkipReasons?: readonly string[];
  /**
   * What converted code needs from its runtime and its tooling. `disposable-stack`: the
   * `DisposableStack` / `AsyncDisposableStack` globals (Node >= 24), their TypeScript lib
   * (`esnext.disposable`) and, where ESLint checks undefined names, their globals.
   */
  requires?: 'disposable-stack';
}

export type CodemodRegistry = Readonly<Record<string, CodemodEntry>>;

/** Every transform `ctx-codemod` knows, by the name given on the command line. */
export const codemods: CodemodRegistry = {
  'try-finally-to-using': {
    description:
      'Rewrite try/finally cleanup chains into `using` / `await using` declarations and DisposableStack.',
    transformSource: tryFinallyToUsing,
    moduleUrl: new URL('./try-finally-to-using.js', import.meta.url).href,
    // Every site is a `try … finally`: the keyword (never spelt with escapes) then its block,
    // with only white space or comments between. So `.finally(…)` calls alone rule a file out.
    mightMatch: /\bfinally\s*(?:\{|\/[/*])/,
    requestedSkipReasons: ['ignored-by-comment'],
    requires: 'disposable-stack',
  },
  'split-nested-stacks': {
    description:
      'Give a `using` of a stack that an outer scope or a caller still holds its own DisposableStack / AsyncDisposableStack; turn a hand-rolled cleanup list run in `finally` into one stack per scope.',
    transformSource: splitNestedStacks,
    moduleUrl: new URL('./split-nested-stacks.js', import.meta.url).href,
    mightMatch: splitNestedStacksMightMatch,
    requires: 'disposable-stack',
  },
  'scope-stdout-rebinding': {
    description:
      'Scope a synchronous patch of process.stdout / process.stderr / console restored outside a `finally`: try/finally, or a DisposableStack with --style using.',
    transformSource: scopeStdoutRebinding,
    moduleUrl: new URL('./scope-stdout-rebinding.js', import.meta.url).href,
    // The rule's own text test: a file that names none of the targets' roots rebinds none.
    mightMatch: /console|process|stdout|stderr/,
  },
};
