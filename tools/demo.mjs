// `npm run demo`: the plugin's main job on the programs in examples/. Lints them with every ctx
// rule and prints the reports, then runs the try-finally-to-using codemod with --diff and prints
// what it would change. Nothing under examples/ is written. Needs dist/ (`npm run demo` builds).
// Exits 1 when the examples no longer show a report of every rule and at least one diff hunk,
// so the demo cannot silently rot.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';

import ctx from '../dist/index.js';
import { main } from '../dist/codemods/cli/runner.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const examples = path.join(repoRoot, 'examples');
const colour = process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const heading = (text) => (colour ? `\u001b[1m${text}\u001b[22m` : text);

const allRules = Object.fromEntries(Object.keys(ctx.rules).map((name) => [`ctx/${name}`, 'error']));
const eslint = new ESLint({
  cwd: repoRoot,
  // The project's own eslint.config.js ignores examples/ (they hold reported code on purpose).
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.js', '**/*.ts'],
      plugins: { ctx },
      languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
      rules: allRules,
    },
    { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  ],
});

process.stdout.write(heading('$ eslint examples/   (every ctx rule)\n'));
const results = await eslint.lintFiles(['examples/']);
const formatter = await eslint.loadFormatter('stylish');
process.stdout.write(await formatter.format(results));

process.stdout.write(heading('\n$ ctx-codemod try-finally-to-using examples/ --diff\n'));
let diff = '';
const exitCode = await main(['try-finally-to-using', path.relative(repoRoot, examples), '--diff'], {
  cwd: repoRoot,
  stdout: {
    isTTY: colour,
    write: (chunk) => {
      diff += chunk;
      return process.stdout.write(chunk);
    },
  },
  env: { ...process.env, ...(colour ? { FORCE_COLOR: '1' } : { NO_COLOR: '1', FORCE_COLOR: undefined }) },
});

const reported = new Set(results.flatMap((result) => result.messages.map((message) => message.ruleId)));
const silent = Object.keys(allRules).filter((rule) => !reported.has(rule));
const problems = [
  ...silent.map((rule) => `no example shows ${rule}`),
  ...(diff.includes('@@ -') ? [] : ['the codemod produced no diff hunk']),
  ...(exitCode === 0 ? [] : [`ctx-codemod exited ${exitCode}`]),
];
if (problems.length > 0) {
  process.stderr.write(`demo: ${problems.join('; ')}\n`);
  process.exitCode = 1;
}
