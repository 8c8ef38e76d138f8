// Runs programs of the scope-stdout-rebinding oracle in one engine (see scope-stdout.ts):
// `node scope-stdout-child.mjs <result.json> [shim] -- <program.mjs>...`. Each program's
// `main(fail)` runs twice (fail false, then true) with recorders in place of the output
// targets; what reached them, what main returned or threw, and which targets main left
// rebound are written as JSON to <result.json> (the program may own stdout, so it is not used).
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const argv = process.argv.slice(2);
const separator = argv.indexOf('--');
const [resultFile, shim] = argv.slice(0, separator);
const programs = argv.slice(separator + 1);
if (shim !== undefined) await import(pathToFileURL(shim).href);

const CONSOLE_METHODS = ['log', 'error', 'warn', 'info', 'debug'];
const targets = [
  ['process.stdout.write', process.stdout, 'write'],
  ['process.stderr.write', process.stderr, 'write'],
  ...CONSOLE_METHODS.map((method) => [`console.${method}`, console, method]),
];
const originals = targets.map(([, object, key]) => object[key]);

const results = [];
for (const program of programs) {
  const namespace = await import(pathToFileURL(program).href);
  for (const fail of [false, true]) {
    const written = [];
    const recorders = targets.map(([name, object, key]) => {
      const recorder = (...args) => {
        written.push([name, args.map(String).join(' ')]);
        return true;
      };
      object[key] = recorder;
      return recorder;
    });
    let outcome;
    try {
      outcome = { returned: JSON.parse(JSON.stringify(namespace.main(fail) ?? null)) };
    } catch (error) {
      outcome = { threw: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    const leftPatched = targets.filter(([, object, key], index) => object[key] !== recorders[index]).map(([name]) => name);
    targets.forEach(([, object, key], index) => {
      object[key] = originals[index];
    });
    results.push({ program, fail, outcome, written, leftPatched });
  }
}
writeFileSync(resultFile, JSON.stringify(results));
