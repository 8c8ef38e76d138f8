// `ctx-codemod` (built, from dist/) with two extra transforms, the baselines `noop-parse-print`
// and `noop-parse`, so they run through exactly the same CLI, discovery and worker pool as the
// real transform.
import { codemods } from '../../../dist/codemods/index.js';
import { main } from '../../../dist/codemods/cli/runner.js';
import { transformSource as parseOnly } from './noop-parse.mjs';
import { transformSource as parseAndPrint } from './noop-parse-print.mjs';

const transforms = {
  ...codemods,
  'noop-parse-print': {
    description: 'parse and reprint, change nothing (benchmark baseline)',
    transformSource: parseAndPrint,
    moduleUrl: new URL('./noop-parse-print.mjs', import.meta.url).href,
  },
  'noop-parse': {
    description: 'Babel parse only, change nothing (benchmark baseline)',
    transformSource: parseOnly,
    moduleUrl: new URL('./noop-parse.mjs', import.meta.url).href,
  },
};

process.exitCode = await main(process.argv.slice(2), { transforms });
