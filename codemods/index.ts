import { transformSource as tryFinallyToUsing } from './try-finally-to-using.js';
import type { TransformResult } from './try-finally-to-using.js';

/** A transform as the CLI runs it: pure, source in, result out; throws when the source does not parse. */
export type TransformSource = (source: string, filePath: string) => TransformResult;

export interface CodemodEntry {
  /** One line for `--help` and for the "unknown transform" message. */
  description: string;
  transformSource: TransformSource;
  /**
   * Module (file URL) that exports `transformSource`: worker threads load the transform from
   * here, because functions cannot be sent to a worker. An entry without it runs in-process.
   */
  moduleUrl?: string;
}

export type CodemodRegistry = Readonly<Record<string, CodemodEntry>>;

/** Every transform `ctx-codemod` knows, by the name given on the command line. */
export const codemods: CodemodRegistry = {
  'try-finally-to-using': {
    description:
      'Rewrite try/finally cleanup chains into `using` / `await using` declarations and DisposableStack.',
    transformSource: tryFinallyToUsing,
    moduleUrl: new URL('./try-finally-to-using.js', import.meta.url).href,
  },
};
