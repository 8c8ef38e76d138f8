// `ctx-codemod` (built, from dist/) with one extra transform, `noop-parse-print`, so the
// baseline runs through exactly the same CLI, discovery and worker pool as the real transform.
import { codemods } from '../../../dist/codemods/index.js';
import { main } from '../../../dist/lib/codemod-runner.js';
import { transformSource } from './noop-parse-print.mjs';

const transforms = {
  ...codemods,
  'noop-parse-print': {
    description: 'parse and reprint, change nothing (benchmark baseline)',
    transformSource,
    moduleUrl: new URL('./noop-parse-print.mjs', import.meta.url).href,
  },
};

process.exitCode = await main(process.argv.slice(2), { transforms });
