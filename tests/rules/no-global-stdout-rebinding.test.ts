import tsParser from '@typescript-eslint/parser';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import rule from '../../rules/no-global-stdout-rebinding.js';

const ruleTester = new RuleTester();

/** Every case given to `run`, replayed at the end without the built-in pre-checks. */
interface ReplayedCase {
  code: string;
  name?: string;
  filename?: string;
  options?: readonly unknown[];
  languageOptions?: { parserOptions?: Record<string, unknown> };
}
const everyCase: ReplayedCase[] = [];

const run: typeof ruleTester.run = (name, ruleModule, tests) => {
  for (const test of [...tests.valid, ...tests.invalid]) everyCase.push(typeof test === 'string' ? { code: test } : (test as ReplayedCase));
  ruleTester.run(name, ruleModule, tests);
};

// Every rebinding form, each inside a function with no restore: `neverRestored` isolates the form.
run('no-global-stdout-rebinding: forms', rule, {
  valid: [],
  invalid: [
    {
      code: 'function capture() {\n  process.stdout.write = () => true;\n}',
      errors: [
        {
          messageId: 'neverRestored',
          data: { target: 'process.stdout.write' },
          line: 2,
          column: 3,
          endLine: 2,
          endColumn: 23,
        },
      ],
      name: 'plain assignment of process.stdout.write (position and data)',
    },
    {
      code: 'function f() { process.stderr.write = sink; }',
      errors: [{ messageId: 'neverRestored', data: { target: 'process.stderr.write' } }],
      name: 'plain assignment of process.stderr.write',
    },
    {
      code: 'function f() { console.log += ""; }',
      errors: [{ messageId: 'neverRestored', data: { target: 'console.log' } }],
      name: 'compound assignment',
    },
    {
      code: 'function f() { process.stdout.write ||= sink; console.error &&= sink; console.warn ??= sink; }',
      errors: [
        { messageId: 'neverRestored', data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', data: { target: 'console.error' } },
        { messageId: 'neverRestored', data: { target: 'console.warn' } },
      ],
      name: 'logical assignments ||=, &&=, ??=',
    },
    {
      code: 'function f() { console.table = sink; console._stdout = stream; }',
      errors: [
        { messageId: 'neverRestored', data: { target: 'console.table' } },
        { messageId: 'neverRestored', data: { target: 'console._stdout' } },
      ],
      name: 'any console member, including the private stream fields capture libraries swap',
    },
    {
      code: 'function f() { process.stdout = stream; process.stderr = stream; }',
      errors: [
        { messageId: 'neverRestored', data: { target: 'process.stdout' } },
        { messageId: 'neverRestored', data: { target: 'process.stderr' } },
      ],
      name: 'replacing the streams themselves',
    },
    {
      code: [
        'function a() { globalThis.console = c; }',
        'function b() { global.console = c; }',
        'function c() { globalThis["console"] = c; }',
        'function d() { window.console = c; }',
      ].join('\n'),
      // One function each: a later rebinding of the same target in the same function counts as its restore.
      errors: [
        { messageId: 'neverRestored', line: 1, column: 16, data: { target: 'console' } },
        { messageId: 'neverRestored', line: 2, column: 16, data: { target: 'console' } },
        { messageId: 'neverRestored', line: 3, column: 16, data: { target: 'console' } },
        { messageId: 'neverRestored', line: 4, column: 16, data: { target: 'console' } },
      ],
      name: 'globalThis.console, global.console, globalThis["console"], window.console',
    },
    {
      code: "function f() { process['stdout'][`write`] = sink; console['log'] = sink; }",
      errors: [
        { messageId: 'neverRestored', data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', data: { target: 'console.log' } },
      ],
      name: 'computed keys with string and template literals',
    },
    {
      filename: 'file.js',
      code: 'function f() { console = fakeConsole; }',
      errors: [{ messageId: 'neverRestored', data: { target: 'console' } }],
      name: 'assigning the global console binding itself (script-style code)',
    },
    {
      code: [
        'function f() {',
        "  Object.defineProperty(process.stdout, 'write', { value: sink });",
        "  Object.defineProperty(process, 'stderr', { get: () => stream });",
        "  Object.defineProperty(globalThis, 'console', { value: c });",
        '}',
      ].join('\n'),
      errors: [
        { messageId: 'neverRestored', line: 2, column: 3, data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', line: 3, data: { target: 'process.stderr' } },
        { messageId: 'neverRestored', line: 4, data: { target: 'console' } },
      ],
      name: 'Object.defineProperty on a stream method, on process and on globalThis',
    },
    {
      code: 'function f(key) { Object.defineProperty(console, key, { value: sink }); }',
      errors: [{ messageId: 'neverRestored', data: { target: 'console.*' } }],
      name: 'Object.defineProperty with a computed key rebinds some member',
    },
    {
      code: [
        'function f(descriptors) {',
        '  Object.defineProperties(process.stdout, { write: { value: sink } });',
        '  Object.defineProperties(console, descriptors);',
        '}',
      ].join('\n'),
      errors: [
        { messageId: 'neverRestored', line: 2, data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', line: 3, data: { target: 'console.*' } },
      ],
      name: 'Object.defineProperties with a literal map and with a variable',
    },
    {
      code: "function f() { Reflect.set(process.stdout, 'write', sink); Reflect.defineProperty(console, 'log', { value: sink }); }",
      errors: [
        { messageId: 'neverRestored', data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', data: { target: 'console.log' } },
      ],
      name: 'Reflect.set and Reflect.defineProperty',
    },
    {
      code: 'function f() { Object.assign(console, { log: sink, error: sink }); }',
      errors: [{ messageId: 'neverRestored', column: 16, data: { target: 'console.log`, `console.error' } }],
      name: 'Object.assign onto console: one report naming every key',
    },
    {
      code: 'function f(overrides) { Object.assign(process.stdout, overrides); }',
      errors: [{ messageId: 'neverRestored', data: { target: 'process.stdout.*' } }],
      name: 'Object.assign onto process.stdout with an unknown source',
    },
    {
      code: 'function f() { Object.assign(globalThis, { console: fake }); }',
      errors: [{ messageId: 'neverRestored', data: { target: 'console' } }],
      name: 'Object.assign onto globalThis replaces console',
    },
    {
      code: 'function f() { [process.stdout.write, other] = [sink, 1]; ({ log: console.log } = fakes); }',
      errors: [
        { messageId: 'neverRestored', column: 17, data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', column: 67, data: { target: 'console.log' } },
      ],
      name: 'destructuring-assignment targets',
    },
  ],
});

// How the rule reaches the real globals: aliases, imports, requires, globalThis, TS wrappers.
run('no-global-stdout-rebinding: aliases', rule, {
  valid: [],
  invalid: [
    {
      code: 'function f() { const out = process.stdout; out.write = sink; }',
      errors: [{ messageId: 'neverRestored', data: { target: 'process.stdout.write' } }],
      name: 'const alias of process.stdout',
    },
    {
      code: 'function f() { const { stdout } = process; const { stderr: err } = globalThis.process; stdout.write = sink; err.write = sink; }',
      errors: [
        { messageId: 'neverRestored', data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', data: { target: 'process.stderr.write' } },
      ],
      name: 'destructured alias (nested and renamed)',
    },
    {
      code: 'function f() { const p = process; const out = p.stdout; out.write = sink; }',
      errors: [{ messageId: 'neverRestored', data: { target: 'process.stdout.write' } }],
      name: 'alias of an alias',
    },
    {
      code: "import { stdout } from 'node:process';\nimport { stderr as err } from 'process';\nfunction f() { stdout.write = sink; err.write = sink; }",
      errors: [
        { messageId: 'neverRestored', line: 3, data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', line: 3, data: { target: 'process.stderr.write' } },
      ],
      name: "named import from 'node:process' and 'process'",
    },
    {
      code: "import process from 'node:process';\nimport * as proc from 'node:process';\nfunction f() { process.stdout.write = sink; proc.stderr.write = sink; }",
      errors: [
        { messageId: 'neverRestored', data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', data: { target: 'process.stderr.write' } },
      ],
      name: "default and namespace imports of 'node:process'",
    },
    {
      code: "import console from 'node:console';\nfunction f() { console.log = sink; }",
      errors: [{ messageId: 'neverRestored', data: { target: 'console.log' } }],
      name: "default import of 'node:console'",
    },
    {
      filename: 'file.js',
      code: "const proc = require('node:process');\nfunction f() { proc.stdout.write = sink; }",
      errors: [{ messageId: 'neverRestored', data: { target: 'process.stdout.write' } }],
      name: 'require(\'node:process\') in a .js file',
    },
    {
      code: 'function f() { globalThis.process.stdout.write = sink; global.process.stderr.write = sink; }',
      errors: [
        { messageId: 'neverRestored', data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', data: { target: 'process.stderr.write' } },
      ],
      name: 'globalThis.process and global.process',
    },
    {
      filename: 'file.ts',
      code: 'function f() { (process.stdout as any).write = sink; process.stderr!.write = sink; (console satisfies Console).log = sink; (<any>console).warn = sink; }',
      errors: [
        { messageId: 'neverRestored', data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', data: { target: 'process.stderr.write' } },
        { messageId: 'neverRestored', data: { target: 'console.log' } },
        { messageId: 'neverRestored', data: { target: 'console.warn' } },
      ],
      name: 'TypeScript wrappers: as, non-null, satisfies, angle-bracket assertion',
    },
  ],
});

// Reaching a target the rule cannot name exactly: computed keys, parameters, loops over literals.
run('no-global-stdout-rebinding: indirect targets', rule, {
  valid: [],
  invalid: [
    {
      code: 'function f(name) { process.stdout[name] = sink; }',
      errors: [{ messageId: 'neverRestored', data: { target: 'process.stdout.*' } }],
      name: 'a computed key on a stream may be write',
    },
    {
      code: 'function trap(methods) { methods.forEach((method) => { console[method] = sink; }); }',
      errors: [{ messageId: 'neverRestored', data: { target: 'console.*' } }],
      name: 'a computed console member',
    },
    {
      code: 'function mock(std) { process[std].write = sink; }',
      errors: [{ messageId: 'neverRestored', data: { target: 'process.*.write' } }],
      name: 'a computed stream name',
    },
    {
      code: [
        'function hook(stream) {',
        '  stream.write = sink;',
        '}',
        'const unhookOut = hook(process.stdout);',
        'const unhookErr = hook(process.stderr);',
        'hook(new PassThrough());',
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 2, data: { target: 'process.*.write' } }],
      name: 'a parameter given process.stdout and process.stderr at its call sites',
    },
    {
      code: 'const capture = (stream) => { stream.write = sink; };\nfunction captureStdout() { capture(process.stdout); }',
      errors: [{ messageId: 'neverRestored', line: 1, data: { target: 'process.stdout.write' } }],
      name: 'a parameter of an arrow function, through a call in another function',
    },
    {
      code: [
        'class Spinner {',
        '  #hook(stream) { stream.write = sink; }',
        '  start() { for (const stream of new Set([this.output, process.stdout, process.stderr])) this.#hook(stream); }',
        '}',
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 2, data: { target: 'process.*.write' } }],
      name: 'a private method called with a loop variable over a literal set (the ora shape)',
    },
    {
      code: 'function f() { for (const out of [process.stdout, process.stderr]) { out.write = sink; } }',
      errors: [{ messageId: 'neverRestored', data: { target: 'process.*.write' } }],
      name: 'a loop over a literal array of streams',
    },
    {
      code: [
        'class TestStream {',
        '  constructor(stream) { this._stream = stream; }',
        '  inspect() {',
        '    const stream = this._stream;',
        '    stream.write = sink;',
        '  }',
        '}',
        'export const stdout = new TestStream(process.stdout);',
        'export const stderr = new TestStream(process.stderr);',
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 5, data: { target: 'process.*.write' } }],
      name: 'a field set from a constructor parameter, constructed with the streams (the test-console shape)',
    },
    {
      code: [
        'var ProcessOutputStream = class {',
        '  constructor(stream) { this.stream = stream; this.method = stream.write; }',
        '  hijack() { this.stream.write = this.buffer.write.bind(this.buffer); }',
        '  release() { this.stream.write = this.method; }',
        '};',
        'function create(options) { return new ProcessOutputStream(options.stdout ?? process.stdout); }',
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 3, data: { target: 'process.stdout.write' } }],
      name: 'a class expression, a ?? default, and a field that saved the original (the listr2 shape)',
    },
    {
      filename: 'file.ts',
      code: [
        'class Capture {',
        '  constructor(private readonly stream: NodeJS.WriteStream) {}',
        '  start(): void { this.stream.write = () => true; }',
        '}',
        'export const capture = new Capture(quiet ? sink : process.stderr);',
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 3, data: { target: 'process.stderr.write' } }],
      name: 'a TypeScript parameter property and a conditional argument',
    },
  ],
});

// A computed restore puts back what a computed save kept (the console-capture shape).
run('no-global-stdout-rebinding: computed restores', rule, {
  valid: [
    {
      code: [
        'const saved = {};',
        "const methods = ['log', 'error'];",
        'export function restore() { methods.forEach((method) => { console[method] = saved[method]; }); }',
        'export function save() { methods.forEach((method) => { saved[method] = console[method]; }); }',
      ].join('\n'),
      name: 'console[method] = saved[method] after saved[method] = console[method]',
    },
  ],
  invalid: [],
});

// Only the real globals count.
run('no-global-stdout-rebinding: shadowing and unrelated objects', rule, {
  valid: [
    { code: 'function f(process) { process.stdout.write = sink; }', name: 'parameter named process' },
    { code: 'function f(console) { console.log = sink; }', name: 'parameter named console' },
    {
      code: 'function f() { const process = makeFakeProcess(); process.stdout.write = sink; }',
      name: 'local process in a function',
    },
    {
      code: "import { Console } from 'node:console';\nconst console = new Console(stream);\nconsole.log = sink;",
      name: 'module-level local console (a Console instance)',
    },
    { code: 'try { run(); } catch (console) { console.log = sink; }', name: 'catch parameter named console' },
    {
      filename: 'file.ts',
      code: 'function f(process: NodeJS.Process): void { process.stdout.write = sink; }',
      name: 'typed parameter in TypeScript',
    },
    {
      code: 'function f() { let out = process.stdout; out = new PassThrough(); out.write = sink; }',
      name: 'an alias that is reassigned is not followed',
    },
    { code: "import { stdout } from './fake-process.js';\nfunction f() { stdout.write = sink; }", name: 'import from a non-process module' },
    { filename: 'file.ts', code: "import type { stdout } from 'node:process';\nfunction f(s: typeof stdout) { s.write = sink; }", name: 'type-only import' },
    { code: 'function f() { logger.console.log = sink; myProcess.stdout.write = sink; stream.write = sink; }', name: 'other objects with the same property names' },
    { code: 'function f() { const myProcess = spawn("x"); myProcess.stdout.write = sink; }', name: 'a local named like a process object' },
    { code: "import { Console } from 'node:console';\nfunction f() { const c = new Console(stream); c.log = sink; }", name: 'a Console instance' },
    { code: 'class Logger { console = makeConsole(); mute() { this.console.log = () => {}; } }', name: 'this.console in a class' },
    { code: 'function f(globalThis) { globalThis.console = c; }', name: 'shadowed globalThis' },
    { code: "function f(Object) { Object.defineProperty(process.stdout, 'write', d); }", name: 'shadowed Object' },
    { filename: 'file.js', code: "function f(require) { const p = require('node:process'); p.stdout.write = sink; }", name: 'shadowed require' },
    { code: 'function f() { process.stdout.columns = 80; process.stdout.isTTY = true; process.exitCode = 1; }', name: 'non-target members of the streams' },
    {
      filename: 'file.js',
      code: "if (typeof console === 'undefined' && typeof process === 'undefined') {\n  console = { log: print };\n}",
      name: 'a shim for a missing console (the esprima Rhino shape)',
    },
    { code: 'function f(name) { process.env[name] = "1"; process.stdout[name].x = 1; }', name: 'computed keys that cannot reach a target' },
    { code: 'function hook(stream) { stream.write = sink; }\nhook(new PassThrough());', name: 'a parameter only ever given a non-global stream' },
    { code: 'export function hook(stream) { stream.write = sink; }', name: 'a parameter with no call site in the file' },
    { code: 'function f(streams) { for (const stream of streams) stream.write = sink; }', name: 'a loop over a collection that is not a literal' },
    {
      code: [
        'class Capture {',
        '  saved = null;',
        '  start() { this.saved = process.stdout.write; this.other = console; }',
        '  stop() { process.stdout.write = this.saved; }',
        '}',
      ].join('\n'),
      name: 'fields that hold a saved target are not targets themselves (the capture-stdout shape)',
    },
    {
      code: 'class Logger {\n  constructor(stream) { this.stream = stream; }\n  mute() { this.stream.write = () => true; }\n}\nexport const logger = new Logger(new PassThrough());',
      name: 'a field only ever given a non-global stream',
    },
    {
      code: 'class Holder {\n  constructor() { this.out = process.stdout; }\n  reset() { const self = { out: 1 }; (function () { this.out.write = sink; }).call(self); }\n}',
      name: 'this inside a plain nested function is not the instance',
    },
  ],
  invalid: [
    {
      code: 'function a(process) { process.stdout.write = sink; }\nfunction b() { process.stdout.write = sink; }',
      errors: [{ messageId: 'neverRestored', line: 2, column: 16 }],
      name: 'a parameter shadows process in one function only',
    },
  ],
});

// What is not a rebinding at all.
run('no-global-stdout-rebinding: calls and reads', rule, {
  valid: [
    { code: "process.stdout.write('x'); console.log('y'); process.stderr.write(Buffer.from('z'));", name: 'calls' },
    { code: 'const write = process.stdout.write.bind(process.stdout);', name: 'bound reads' },
    { code: 'function f() { const original = console.log; const { write } = process.stdout; return [original, write]; }', name: 'reads into variables' },
    { code: 'const copy = Object.assign({}, console);', name: 'copying console onto another object' },
    { code: "Object.defineProperty(stream, 'write', { value: sink });", name: 'defining on other objects' },
    { code: "const w = Reflect.get(process.stdout, 'write');", name: 'Reflect.get' },
    { code: "process.stdout.on('error', onError);", name: 'listening on the streams' },
    { code: 'let a = 1; a += 2; Object.assign(a, {});', name: 'a file that mentions no target at all' },
  ],
  invalid: [],
});

run('no-global-stdout-rebinding: verdicts', rule, {
  valid: [
    {
      code: 'function f() {\n  const original = process.stdout.write;\n  process.stdout.write = sink;\n  try {\n    render();\n  } finally {\n    process.stdout.write = original;\n  }\n}',
      name: 'synchronous patch before the try, restored in finally',
    },
    {
      code: 'function f() { const original = console.log; try { console.log = sink; render(); } finally { console.log = original; } }',
      name: 'synchronous patch inside the try, restored in finally',
    },
    {
      code: 'async function f() { await before(); const o = console.log; console.log = sink; try { render(); } finally { console.log = o; } await after(); }',
      name: 'async function whose patch window holds no await',
    },
    {
      code: 'async function f(o) { console.log = sink; try { render(); } finally { console.log = o; } await later(); }',
      name: 'await after the finally restore does not count',
    },
    {
      code: 'function f(o) { console.log = sink; try { setTimeout(tick, 10); } finally { console.log = o; } }',
      name: 'callback registered inside the window runs after the restore',
    },
    {
      code: 'function f(o) { return new Promise((resolve) => { console.log = sink; try { resolve(render()); } finally { console.log = o; } }); }',
      name: 'new Promise executor runs synchronously',
    },
    {
      code: 'function f(items, o) { try { return items.sort((a, b) => { console.warn = sink; return compare(a, b); }); } finally { console.warn = o; } }',
      name: 'a sort comparator runs synchronously, like a forEach callback: its patch is the function\'s own',
    },
    {
      code: "function f() { const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'write'); Object.defineProperty(process.stdout, 'write', { value: sink }); try { render(); } finally { Object.defineProperty(process.stdout, 'write', descriptor); } }",
      name: 'Object.defineProperty patch restored with the saved descriptor',
    },
    {
      code: 'function f(saved) { Object.assign(console, { log: sink }); try { render(); } finally { Object.assign(console, saved); } }',
      name: 'Object.assign patch restored by Object.assign',
    },
    {
      code: [
        'const originalLog = console.log;',
        'const originals = { write: process.stdout.write };',
        'afterEach(() => { console.log = originalLog; });',
        'afterEach(() => { process.stdout.write = originals.write; });',
        'class Capture {',
        '  original = process.stderr.write;',
        '  stop() { process.stderr.write = this.original.bind(process.stderr); }',
        '}',
      ].join('\n'),
      name: 'restores elsewhere are never reported: saved const, .bind, class field, object of originals',
    },
    {
      code: 'let saved;\nfunction start() { saved = process.stdout.write; }\nfunction stop() { process.stdout.write = saved; }',
      name: 'a restore through let saved in another function',
    },
    {
      code: 'const o = console.log;\nconsole.log = sink;\ntry { render(); } finally { console.log = o; }',
      name: 'module top level, synchronous and restored in finally',
    },
  ],
  invalid: [
    {
      code: 'function start() {\n  process.stdout.write = sink;\n}\nfunction stop(original) {\n  process.stdout.write = original.bind(process.stdout);\n}',
      errors: [{ messageId: 'neverRestored', line: 2 }, { messageId: 'neverRestored', line: 5 }],
      name: 'neverRestored: the report lands on the patch, never on the later restore in another function',
    },
    {
      code: 'function f() { console.log = sink; run(); console.log = () => {}; }',
      errors: [
        { messageId: 'neverRestored', column: 16 },
        { messageId: 'neverRestored', column: 43 },
      ],
      name: 'neverRestored: a restore that installs a function literal is a new patch',
    },
    {
      code: 'function f() {\n  const original = console.log;\n  console.log = sink;\n  render();\n  console.log = original;\n}',
      errors: [
        {
          messageId: 'restoredOutsideFinally',
          data: { target: 'console.log' },
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 14,
          // The fixable case: both styles of `ctx-codemod scope-stdout-rebinding` (tests/codemods/scope-stdout-rebinding*.test.ts).
          suggestions: [
            {
              messageId: 'scopeWithFinally',
              data: { target: 'console.log' },
              output: 'function f() {\n  const original = console.log;\n  console.log = sink;\n  try {\n    render();\n  } finally {\n    console.log = original;\n  }\n}',
            },
            {
              messageId: 'scopeWithStack',
              data: { target: 'console.log' },
              output:
                'function f() {\n  const original = console.log;\n  console.log = sink;\n  using stack = new DisposableStack();\n  stack.defer(() => {\n    console.log = original;\n  });\n  render();\n}',
            },
          ],
        },
      ],
      name: 'restoredOutsideFinally: restored after the work',
    },
    {
      code: 'function f(o) { console.log = sink; try { render(); } catch (error) { console.log = o; throw error; } }',
      errors: [{ messageId: 'restoredOutsideFinally' }],
      name: 'restoredOutsideFinally: restored only in catch',
    },
    {
      code: 'function f(o) { try { prepare(); } finally { cleanup(); } console.log = sink; render(); console.log = o; }',
      errors: [{ messageId: 'restoredOutsideFinally' }],
      name: 'restoredOutsideFinally: the finally belongs to an earlier try',
    },
    {
      code: 'async function f(o) {\n  process.stdout.write = sink;\n  try {\n    await render();\n  } finally {\n    process.stdout.write = o;\n  }\n}',
      errors: [
        { messageId: 'activeAcrossAsync', line: 2, column: 3, data: { target: 'process.stdout.write', across: 'an `await`' } },
      ],
      name: 'activeAcrossAsync: await between patch and finally restore (data)',
    },
    {
      code: 'async function f(o) { console.log = sink; await render(); console.log = o; }',
      errors: [{ messageId: 'activeAcrossAsync', data: { target: 'console.log', across: 'an `await`' } }],
      name: 'activeAcrossAsync wins over restoredOutsideFinally',
    },
    {
      code: 'function* f(o) { console.log = sink; try { yield 1; } finally { console.log = o; } }',
      errors: [{ messageId: 'activeAcrossAsync', data: { target: 'console.log', across: 'a `yield`' } }],
      name: 'activeAcrossAsync: yield in a generator',
    },
    {
      code: 'async function f(o, items) { console.log = sink; try { for await (const item of items) render(item); } finally { console.log = o; } }',
      errors: [{ messageId: 'activeAcrossAsync', data: { target: 'console.log', across: 'a `for await` loop' } }],
      name: 'activeAcrossAsync: for await loop',
    },
    {
      code: 'async function f(o) { console.log = sink; try { { await using r = open(); render(r); } } finally { console.log = o; } }',
      errors: [{ messageId: 'activeAcrossAsync', data: { target: 'console.log', across: 'an `await using` disposal' } }],
      name: 'activeAcrossAsync: await using disposal at block exit',
    },
    {
      code: 'function f(o) { console.log = sink; setTimeout(() => { console.log = o; }, 100); }',
      errors: [
        {
          messageId: 'activeAcrossAsync',
          data: { target: 'console.log', across: 'a callback that runs later (`setTimeout`)' },
        },
      ],
      name: 'activeAcrossAsync: restore in a timer callback',
    },
    {
      code: [
        'function a(o) { process.stdout.write = sink; return run().then(() => { process.stdout.write = o; }); }',
        "function b(o, child) { console.log = sink; child.on('exit', function () { console.log = o; }); }",
        'function c(o) { console.error = sink; process.nextTick(() => { console.error = o; }); }',
      ].join('\n'),
      errors: [
        { messageId: 'activeAcrossAsync', line: 1, data: { target: 'process.stdout.write', across: 'a callback that runs later (`.then`)' } },
        { messageId: 'activeAcrossAsync', line: 2, data: { target: 'console.log', across: 'a callback that runs later (`.on`)' } },
        { messageId: 'activeAcrossAsync', line: 3, data: { target: 'console.error', across: 'a callback that runs later (`.nextTick`)' } },
      ],
      name: 'activeAcrossAsync: restore in a promise reaction, an event handler, process.nextTick',
    },
    {
      code: "function f() { if (typeof window === 'undefined') { console.log = sink; } }",
      errors: [{ messageId: 'neverRestored' }],
      name: 'a typeof guard on another global does not make a shim',
    },
    {
      code: "import { run } from './run.js';\nconsole.log = () => {};\nrun();\nexport const ready = true;",
      errors: [{ messageId: 'moduleScope', data: { target: 'console.log' }, line: 2, column: 1, endColumn: 12 }],
      name: 'moduleScope: top-level patch (position and data)',
    },
    {
      code: 'const o = console.log;\nconsole.log = sink;\nrun();\nconsole.log = o;\nprocess.stdout.write = sink;\ntry { await run(); } finally { process.stdout.write = o; }\nexport {};',
      errors: [
        { messageId: 'moduleScope', line: 2 },
        { messageId: 'moduleScope', line: 5 },
      ],
      name: 'moduleScope wins at top level, whatever the function verdict would be',
    },
    {
      code: 'if (process.env.QUIET) {\n  console.log = () => {};\n}\nexport default run;',
      errors: [{ messageId: 'moduleScope', line: 2 }],
      name: 'moduleScope: patches in top-level blocks are still at module scope',
    },
  ],
});

run('no-global-stdout-rebinding: test doubles', rule, {
  valid: [
    { code: "test.concurrent('a', () => { vi.spyOn(process.stdout, 'write'); });", name: 'vi.spyOn is not reported by default' },
    { code: "it.concurrent('a', async () => { jest.spyOn(console, 'log').mockImplementation(() => {}); });", name: 'jest.spyOn is not reported by default' },
    {
      code: "test('a', () => { vi.spyOn(console, 'log'); });\ndescribe('s', () => { beforeEach(() => { sinon.stub(console, 'error'); }); });",
      options: [{ checkTestDoubles: true }],
      name: 'with checkTestDoubles, a test double in a serial test is fine',
    },
    {
      code: "test.concurrent('a', () => { vi.spyOn(api, 'fetch'); vi.spyOn(process.stdout, 'on'); });",
      options: [{ checkTestDoubles: true }],
      name: 'with checkTestDoubles, a spy on a non-target in a concurrent test is fine',
    },
    {
      code: "test('a', { concurrent: false }, () => { vi.spyOn(console, 'log'); });",
      options: [{ checkTestDoubles: true }],
      name: 'a concurrent test whose options say concurrent: false',
    },
  ],
  invalid: [
    {
      code: "test.concurrent('prints', () => {\n  const spy = vi.spyOn(process.stdout, 'write');\n});",
      options: [{ checkTestDoubles: true }],
      errors: [
        {
          messageId: 'testDoubleInConcurrentTest',
          data: { target: 'process.stdout.write' },
          line: 2,
          column: 15,
        },
      ],
      name: 'vi.spyOn in test.concurrent (position and data)',
    },
    {
      code: "it.concurrent.each([1, 2])('case %i', async () => { jest.spyOn(console, 'log'); });\nit.concurrent.only('b', () => { jest.spyOn(console, 'warn'); });",
      options: [{ checkTestDoubles: true }],
      errors: [
        { messageId: 'testDoubleInConcurrentTest', line: 1, data: { target: 'console.log' } },
        { messageId: 'testDoubleInConcurrentTest', line: 2, data: { target: 'console.warn' } },
      ],
      name: 'jest.spyOn in it.concurrent.each(table)(…) and it.concurrent.only',
    },
    {
      code: "describe.concurrent('suite', () => {\n  beforeEach(() => { sinon.stub(console, 'error'); });\n  test('a', () => {});\n});",
      options: [{ checkTestDoubles: true }],
      errors: [{ messageId: 'testDoubleInConcurrentTest', line: 2, data: { target: 'console.error' } }],
      name: 'a hook inside describe.concurrent',
    },
    {
      code: [
        "test('a', { concurrent: true }, (t) => {",
        "  t.mock.method(console, 'log');",
        "  vi.stubGlobal('console', fakeConsole);",
        '  sinon.stub(console);',
        '});',
      ].join('\n'),
      options: [{ checkTestDoubles: true }],
      errors: [
        { messageId: 'testDoubleInConcurrentTest', line: 2, data: { target: 'console.log' } },
        { messageId: 'testDoubleInConcurrentTest', line: 3, data: { target: 'console' } },
        { messageId: 'testDoubleInConcurrentTest', line: 4, data: { target: 'console.*' } },
      ],
      name: 'vitest options object { concurrent: true }, node:test mock.method, vi.stubGlobal, sinon.stub(console)',
    },
    {
      code: "test.concurrent('a', async () => { const o = console.log; console.log = sink; try { await run(); } finally { console.log = o; } });",
      errors: [{ messageId: 'activeAcrossAsync' }],
      name: 'a plain assignment in a concurrent test gets the ordinary verdicts, option or not',
    },
  ],
});

run('no-global-stdout-rebinding: options', rule, {
  valid: [
    { code: 'console.log = () => {};', options: [{ allowModuleScope: true }], name: 'allowModuleScope allows a top-level patch' },
    {
      code: 'function f(Deno) { Deno.stdout = s; }',
      options: [{ additionalTargets: ['Deno.stdout'] }],
      name: 'additional targets resolve through scope too',
    },
    {
      code: 'function f() { Deno.stdout.write = s; }',
      options: [{ additionalTargets: ['Deno.stdout'] }],
      name: 'an exact additional target does not cover its members',
    },
    { code: 'function f() { Deno.stdout = s; }', name: 'without the option, Deno is not a target' },
  ],
  invalid: [
    {
      code: 'function f() { console.log = () => {}; }',
      options: [{ allowModuleScope: true }],
      errors: [{ messageId: 'neverRestored' }],
      name: 'allowModuleScope does not change what happens in functions',
    },
    {
      code: 'function f() { Deno.stdout = s; }',
      options: [{ additionalTargets: ['Deno.stdout'] }],
      errors: [{ messageId: 'neverRestored', data: { target: 'Deno.stdout' } }],
      name: 'additionalTargets: an exact path (the file mentions only Deno: the bail-out respects added roots)',
    },
    {
      code: 'function f() { globalThis.Deno.stdout.write = s; const out = Deno.stdout; out.close = s; }',
      options: [{ additionalTargets: ['Deno.stdout.*'] }],
      errors: [
        { messageId: 'neverRestored', data: { target: 'Deno.stdout.write' } },
        { messageId: 'neverRestored', data: { target: 'Deno.stdout.close' } },
      ],
      name: 'additionalTargets: a trailing .* covers every member, through globalThis and aliases',
    },
    {
      code: 'function f() { appLogger.sink = s; }',
      options: [{ additionalTargets: ['globalThis.appLogger.sink'] }],
      errors: [{ messageId: 'neverRestored', data: { target: 'appLogger.sink' } }],
      name: 'additionalTargets given with a globalThis prefix',
    },
  ],
});

// `.js` and `.ts` files both parse and report (RuleTester's default parser is typescript-eslint's).
run('no-global-stdout-rebinding: file kinds', rule, {
  valid: [
    {
      filename: 'file.ts',
      code: 'export function render(): void { const original: typeof process.stdout.write = process.stdout.write; process.stdout.write = (() => true) as typeof original; try { paint(); } finally { process.stdout.write = original; } }',
      name: '.ts: typed safe pattern',
    },
  ],
  invalid: [
    {
      filename: 'file.js',
      code: 'module.exports = function capture(fn) {\n  const write = process.stdout.write;\n  process.stdout.write = function (chunk) { out.push(chunk); return true; };\n  fn();\n  process.stdout.write = write;\n};',
      errors: [
        {
          messageId: 'restoredOutsideFinally',
          line: 3,
          suggestions: [
            {
              messageId: 'scopeWithFinally',
              output:
                'module.exports = function capture(fn) {\n  const write = process.stdout.write;\n  process.stdout.write = function (chunk) { out.push(chunk); return true; };\n  try {\n    fn();\n  } finally {\n    process.stdout.write = write;\n  }\n};',
            },
            {
              messageId: 'scopeWithStack',
              output:
                'module.exports = function capture(fn) {\n  const write = process.stdout.write;\n  process.stdout.write = function (chunk) { out.push(chunk); return true; };\n  using stack = new DisposableStack();\n  stack.defer(() => {\n    process.stdout.write = write;\n  });\n  fn();\n};',
            },
          ],
        },
      ],
      name: '.js: CommonJS capture helper',
    },
    {
      filename: 'file.ts',
      code: 'export async function capture(fn: () => Promise<void>): Promise<string> {\n  const chunks: string[] = [];\n  const write = process.stdout.write;\n  process.stdout.write = ((chunk: string) => chunks.push(chunk) > 0) as typeof write;\n  try { await fn(); } finally { process.stdout.write = write; }\n  return chunks.join("");\n}',
      errors: [{ messageId: 'activeAcrossAsync', line: 4 }],
      name: '.ts: async capture helper',
    },
  ],
});

// Restores that real test suites register: each false-positive class seen on real code is a valid case.
run('no-global-stdout-rebinding: test lifecycles', rule, {
  valid: [
    {
      code: [
        "describe('cli', () => {",
        '  let originalLog;',
        '  beforeEach(() => { originalLog = console.log; console.log = jest.fn(); });',
        '  afterEach(() => { console.log = originalLog; });',
        "  it('prints', () => {});",
        '});',
      ].join('\n'),
      name: 'jest / vitest / jasmine: beforeEach patch, afterEach restore in the same describe',
    },
    {
      code: [
        'const write = process.stdout.write;',
        'beforeAll(() => { process.stdout.write = () => true; });',
        'afterAll(() => { process.stdout.write = write; });',
      ].join('\n'),
      name: 'beforeAll / afterAll at file level',
    },
    {
      code: [
        "describe('reporter', function () {",
        '  let saved;',
        '  before(function () { saved = process.stdout.write; process.stdout.write = function () { return true; }; });',
        '  after(function () { process.stdout.write = saved; });',
        '});',
        "suite('tdd', function () {",
        '  let log;',
        '  setup(function () { log = console.log; console.log = function () {}; });',
        '  teardown(function () { console.log = log; });',
        '});',
      ].join('\n'),
      name: 'mocha before / after and the TDD interface setup / teardown',
    },
    {
      code: [
        "import { test } from 'node:test';",
        "test('suite', async (t) => {",
        '  const log = console.log;',
        '  t.beforeEach(() => { console.log = () => {}; });',
        '  t.afterEach(() => { console.log = log; });',
        "  await t.test('a', () => {});",
        '});',
      ].join('\n'),
      name: 'node:test t.beforeEach / t.afterEach',
    },
    {
      code: [
        "import t from 'tap';",
        "t.test('output', (t) => {",
        '  const write = process.stdout.write;',
        '  process.stdout.write = () => true;',
        '  t.teardown(() => { process.stdout.write = write; });',
        '  t.end();',
        '});',
        "t.test('hooks', (t) => {",
        '  const error = console.error;',
        '  t.beforeEach(() => { console.error = () => {}; });',
        '  t.afterEach(() => { console.error = error; });',
        '  t.end();',
        '});',
      ].join('\n'),
      name: 'tap t.teardown and t.beforeEach / t.afterEach',
    },
    {
      code: [
        "import { afterEach, beforeEach, describe, it } from '@std/testing/bdd';",
        "describe('logger', () => {",
        '  const info = console.info;',
        '  beforeEach(() => { console.info = () => {}; });',
        '  afterEach(() => { console.info = info; });',
        "  it('logs', () => {});",
        '});',
      ].join('\n'),
      name: 'Deno std @std/testing/bdd hooks',
    },
    {
      code: [
        'const warn = console.warn;',
        'afterEach(() => { console.warn = warn; });',
        "describe('parser', () => {",
        "  describe('errors', () => {",
        '    beforeEach(() => { console.warn = () => {}; });',
        "    it('warns', () => { console.warn = () => {}; run(); });",
        '  });',
        '});',
      ].join('\n'),
      name: 'a patch in a nested suite hook or in a test, restored by an afterEach of an enclosing suite',
    },
    {
      code: [
        "test('a', (t) => { const log = console.log; console.log = () => {}; t.after(() => { console.log = log; }); run(); });",
        "test('b', () => { const log = console.log; console.log = () => {}; onTestFinished(() => { console.log = log; }); run(); });",
        "test('c', () => { const log = console.log; console.log = () => {}; onTestFailed(() => { console.log = log; }); });",
        "it('d', () => { const log = console.log; console.log = () => {}; afterEach(() => { console.log = log; }); run(); });",
      ].join('\n'),
      name: 'teardowns registered inside the test: t.after, onTestFinished, onTestFailed, afterEach',
    },
    {
      code: [
        'beforeEach(() => {',
        '  const log = console.log;',
        '  console.log = vi.fn();',
        '  return () => { console.log = log; };',
        '});',
      ].join('\n'),
      name: 'vitest: the cleanup function a beforeEach returns',
    },
    {
      code: [
        "it('waits', async () => {",
        '  const log = console.log;',
        '  console.log = () => {};',
        '  try { await run(); } finally { console.log = log; }',
        '});',
      ].join('\n'),
      name: 'a serial test may wait while patched when a finally restores',
    },
    {
      code: [
        "it('waits', async () => {",
        '  const log = console.log;',
        '  console.log = () => {};',
        '  await run();',
        '});',
        'afterEach(() => { console.log = log; });',
      ].join('\n'),
      name: 'a serial test awaiting with an afterEach restore',
    },
    {
      code: [
        'async function captureStdout(callback) {',
        '  let transcript = "";',
        '  const originalWrite = process.stdout.write;',
        '  process.stdout.write = (chunk) => { transcript += String(chunk); return true; };',
        '  try { await callback(); } finally { process.stdout.write = originalWrite; }',
        '  return transcript;',
        '}',
        "test('probe', async () => { assert.match(await captureStdout(() => probe()), /ok/); });",
      ].join('\n'),
      name: 'a helper of a test file whose every call runs in a serial test',
    },
    {
      code: [
        "test.sequential('a', async () => { const log = console.log; console.log = () => {}; try { await run(); } finally { console.log = log; } });",
        "describe('s', { concurrent: false }, () => { test('b', async () => { const log = console.log; console.log = () => {}; try { await run(); } finally { console.log = log; } }); });",
      ].join('\n'),
      options: [{ concurrentTests: true }],
      name: 'concurrentTests: .sequential and { concurrent: false } opt out',
    },
  ],
  invalid: [
    {
      code: "describe('cli', () => {\n  beforeEach(() => { console.log = jest.fn(); });\n  it('prints', () => {});\n});",
      errors: [{ messageId: 'neverRestored', line: 2 }],
      name: 'a beforeEach patch without a teardown',
    },
    {
      code: [
        'const log = console.log;',
        "describe('a', () => { beforeEach(() => { console.log = jest.fn(); }); });",
        "describe('b', () => { afterEach(() => { console.log = log; }); });",
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 2 }],
      name: 'a teardown in a sibling suite does not restore',
    },
    {
      code: [
        'const log = console.log;',
        'beforeEach(() => { console.log = jest.fn(); });',
        "describe('nested', () => { afterEach(() => { console.log = log; }); });",
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 2 }],
      name: 'a teardown in a nested suite does not restore for the outer tests',
    },
    {
      code: [
        "describe.concurrent('cli', () => {",
        '  const log = console.log;',
        '  beforeEach(() => { console.log = vi.fn(); });',
        '  afterEach(() => { console.log = log; });',
        '});',
      ].join('\n'),
      errors: [{ messageId: 'activeAcrossAsync', line: 3, data: { target: 'console.log', across: 'the other tests of a concurrent suite' } }],
      name: 'hooks of a concurrent suite',
    },
    {
      code: [
        "import { describe, it } from 'node:test';",
        "describe('s', { concurrency: true }, () => {",
        "  it('a', async (t) => { const log = console.log; console.log = () => {}; t.after(() => { console.log = log; }); await run(); });",
        '});',
      ].join('\n'),
      errors: [{ messageId: 'activeAcrossAsync', line: 3, data: { target: 'console.log', across: 'an `await`' } }],
      name: 'node:test { concurrency: true }: a patch across await',
    },
    {
      code: "it('a', async () => { const log = console.log; console.log = () => {}; try { await run(); } finally { console.log = log; } });",
      options: [{ concurrentTests: true }],
      errors: [{ messageId: 'activeAcrossAsync', data: { target: 'console.log', across: 'an `await`' } }],
      name: 'concurrentTests (vitest sequence.concurrent): every test is concurrent',
    },
    {
      code: "it('waits', async () => {\n  const log = console.log;\n  console.log = () => {};\n  await run();\n  console.log = log;\n});",
      errors: [{ messageId: 'restoredOutsideFinally', line: 3 }],
      name: 'a serial test: a patch across await restored without finally is restoredOutsideFinally',
    },
    {
      code: "it.concurrent('waits', async () => {\n  const log = console.log;\n  console.log = () => {};\n  await run();\n  console.log = log;\n});",
      errors: [{ messageId: 'activeAcrossAsync', line: 3 }],
      name: 'a concurrent test: the same shape is activeAcrossAsync',
    },
    {
      code: [
        'async function captureStdout(callback) {',
        '  const originalWrite = process.stdout.write;',
        '  process.stdout.write = () => true;',
        '  try { await callback(); } finally { process.stdout.write = originalWrite; }',
        '}',
        "test('a', async () => { await captureStdout(run); });",
        "test.concurrent('b', async () => { await captureStdout(run); });",
      ].join('\n'),
      errors: [{ messageId: 'activeAcrossAsync', line: 3 }],
      name: 'a test helper called from a concurrent test too',
    },
  ],
});

run('no-global-stdout-rebinding: scoped registrations', rule, {
  valid: [
    {
      code: [
        'export function render(paint) {',
        '  const saved = process.stdout.write;',
        '  process.stdout.write = () => true;',
        '  using stack = new DisposableStack();',
        '',
        '  stack.defer(() => {',
        '    process.stdout.write = saved;',
        '  });',
        '',
        '  paint();',
        '}',
      ].join('\n'),
      name: 'what try-finally-to-using writes: a restore deferred on a using-bound DisposableStack',
    },
    {
      code: [
        'function a(paint) {',
        '  using stack = new DisposableStack();',
        '  stack.adopt(console.log, (log) => { console.log = log; });',
        '  console.log = () => {};',
        '  paint();',
        '}',
        'function b(paint) {',
        '  const log = console.log;',
        '  const restore = () => { console.log = log; };',
        '  using stack = new DisposableStack();',
        '  stack.defer(restore);',
        '  console.log = () => {};',
        '  paint();',
        '}',
      ].join('\n'),
      name: 'stack.adopt, and stack.defer of a named restorer',
    },
    {
      code: [
        'function f(paint) {',
        '  const log = console.log;',
        '  console.log = () => {};',
        '  using restoreLog = { [Symbol.dispose]() { console.log = log; } };',
        '  paint();',
        '}',
      ].join('\n'),
      name: '[Symbol.dispose] of an object bound with using',
    },
  ],
  invalid: [
    {
      code: [
        'function f(paint) {',
        '  const log = console.log;',
        '  console.log = () => {};',
        '  const stack = new DisposableStack();',
        '  stack.defer(() => { console.log = log; });',
        '  paint();',
        '}',
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 3 }],
      name: 'a stack that is not bound with using is never disposed here',
    },
    {
      code: [
        'async function f(paint) {',
        '  const log = console.log;',
        '  console.log = () => {};',
        '  using stack = new DisposableStack();',
        '  stack.defer(() => { console.log = log; });',
        '  await paint();',
        '}',
      ].join('\n'),
      errors: [{ messageId: 'activeAcrossAsync', line: 3, data: { target: 'console.log', across: 'an `await`' } }],
      name: 'a using-registered restore does not make an await safe outside tests',
    },
  ],
});

run('no-global-stdout-rebinding: patch primitives and helpers', rule, {
  valid: [
    {
      code: [
        'export function silence() {',
        '  const log = console.log;',
        '  console.log = () => {};',
        '  return () => { console.log = log; };',
        '}',
        'export function muted() {',
        '  const write = process.stdout.write;',
        '  process.stdout.write = () => true;',
        '  return { [Symbol.dispose]() { process.stdout.write = write; } };',
        '}',
      ].join('\n'),
      name: 'a function that patches and returns its restorer (a function or a Disposable) is not reported',
    },
    {
      code: [
        'function silence() { const log = console.log; console.log = () => {}; const unhook = () => { console.log = log; }; return unhook; }',
        'function a() { const restore = silence(); try { run(); } finally { restore(); } }',
        'function b() { let handle; try { handle = silence(); run(); } finally { handle(); } }',
        "test('c', (t) => { t.teardown(silence()); run(); });",
        'let restore;',
        'beforeEach(() => { restore = silence(); });',
        'afterEach(() => restore());',
        'function d() { return silence(); }',
      ].join('\n'),
      name: 'callers of a primitive: restorer in finally, in a teardown, in an afterEach, or handed on',
    },
    {
      code: [
        'function muted() { const w = process.stdout.write; process.stdout.write = () => true; return { [Symbol.dispose]: () => { process.stdout.write = w; } }; }',
        'function a() { using _ = muted(); run(); }',
        "it('b', async () => { using _ = muted(); await run(); });",
        'function c() { using stack = new DisposableStack(); stack.use(muted()); run(); }',
      ].join('\n'),
      name: 'a Disposable primitive bound with using in a synchronous body or a serial test, or used by a stack',
    },
    {
      code: [
        'const original = console.log;',
        'function reset() { console.log = original; }',
        'function done() { reset(); return logs; }',
        'function a() { console.log = sink; try { run(); } finally { reset(); } }',
        'function b() { console.log = sink; try { run(); } finally { done(); } }',
        'beforeEach(() => { console.log = sink; });',
        'afterEach(reset);',
        "describe('s', () => { beforeEach(() => { console.log = sink; }); afterEach(() => done()); });",
      ].join('\n'),
      name: 'restores reached through a same-file helper (reset(), done() calling reset())',
    },
  ],
  invalid: [
    {
      code: [
        'function silence() { const log = console.log; console.log = () => {}; return () => { console.log = log; }; }',
        'function a() { silence(); run(); }',
        'function b() { const restore = silence(); run(); restore(); }',
        'async function c() { const restore = silence(); try { await run(); } finally { restore(); } }',
      ].join('\n'),
      errors: [
        { messageId: 'neverRestored', line: 2, column: 16, data: { target: 'console.log' } },
        { messageId: 'restoredOutsideFinally', line: 3, column: 32, data: { target: 'console.log' } },
        { messageId: 'activeAcrossAsync', line: 4, data: { target: 'console.log', across: 'an `await`' } },
      ],
      name: 'callers of a primitive are judged as if the patch happened at the call',
    },
    {
      code: [
        'function muted() { const w = process.stdout.write; process.stdout.write = () => true; return { [Symbol.dispose]() { process.stdout.write = w; } }; }',
        'async function a() { using _ = muted(); await run(); }',
      ].join('\n'),
      errors: [{ messageId: 'activeAcrossAsync', line: 2, data: { target: 'process.stdout.write', across: 'an `await`' } }],
      name: 'a Disposable primitive bound with using across an await outside tests',
    },
    {
      code: [
        'const original = console.log;',
        'function reset() { console.log = original; }',
        'function a() { console.log = sink; run(); reset(); }',
      ].join('\n'),
      errors: [{ messageId: 'restoredOutsideFinally', line: 3 }],
      name: 'a helper restore outside finally',
    },
  ],
});

run('no-global-stdout-rebinding: restorers real code registers', rule, {
  valid: [
    {
      code: [
        'export function mockConsole() {',
        '  const originalConsole = { ...console };',
        "  ['log', 'warn'].forEach((key) => { globalThis.console[key] = vi.fn(); });",
        '  return () => { globalThis.console = originalConsole; };',
        '}',
      ].join('\n'),
      name: 'a spread copy of console put back whole restores its members; a patch in a forEach callback is the function\'s own (jest-mock-console)',
    },
    {
      code: [
        'let each;',
        'let all;',
        'beforeEach(() => { each = Object.assign({}, console); });',
        'afterEach(() => { global.console = each; });',
        'beforeAll(() => { all = _objectSpread({}, console); });',
        'afterAll(() => { global.console = all; });',
        'export function quiet() { const saved = __assign({}, console); console.log = sink; try { run(); } finally { console = saved; } }',
      ].join('\n'),
      name: 'a copy by Object.assign({}, …), Babel _objectSpread or TypeScript __assign is a saved original: putting it back is a restore',
    },
    {
      code: [
        'const hook = (stream) => {',
        '  let unhookFunction;',
        '  const promise = new Promise((resolve) => {',
        '    const { write } = stream;',
        '    const unhook = () => { stream.write = write; resolve(); };',
        '    stream.write = (chunk) => { unhook(); return true; };',
        '    unhookFunction = unhook;',
        '  });',
        '  promise.unhook = unhookFunction;',
        '  return promise;',
        '};',
        'export const hookStdout = () => hook(process.stdout);',
      ].join('\n'),
      name: 'a restorer set in a Promise executor and handed out as promise.unhook: a patch primitive (hook-std)',
    },
    {
      code: [
        'class TestStream {',
        '  constructor(stream) { this._stream = stream; }',
        '  inspect() {',
        '    const stream = this._stream;',
        '    const res = { output: [] };',
        '    const originalWrite = stream.write;',
        '    stream.write = (chunk) => { res.output.push(chunk); };',
        '    res.restore = () => { stream.write = originalWrite; };',
        '    return res;',
        '  }',
        '  inspectSync(fn) { const inspect = this.inspect(); try { fn(inspect.output); } finally { inspect.restore(); } return inspect.output; }',
        '  ignore() { return this.inspect().restore; }',
        '}',
        'export const stdout = new TestStream(process.stdout);',
      ].join('\n'),
      name: 'a restorer returned on a handle (res.restore); method callers restore in finally or hand it on (test-console)',
    },
  ],
  invalid: [
    {
      code: [
        'class TestStream {',
        '  constructor(stream) { this._stream = stream; }',
        '  inspect() {',
        '    const stream = this._stream;',
        '    const originalWrite = stream.write;',
        '    stream.write = () => true;',
        '    return { restore: () => { stream.write = originalWrite; } };',
        '  }',
        '  async inspectAsync(fn) { const inspect = this.inspect(); try { await fn(); } finally { inspect.restore(); } }',
        '  leak() { this.inspect(); }',
        '}',
        'export const stdout = new TestStream(process.stdout);',
      ].join('\n'),
      errors: [
        { messageId: 'activeAcrossAsync', line: 9, data: { target: 'process.stdout.write', across: 'an `await`' } },
        { messageId: 'neverRestored', line: 10, data: { target: 'process.stdout.write' } },
      ],
      name: 'callers of a primitive method (this.inspect()) are judged at the call',
    },
    {
      code: [
        'export function mockConsole() {',
        '  const original = console;',
        "  ['log', 'warn'].forEach((key) => { console[key] = vi.fn(); });",
        '  return () => { globalThis.console = original; };',
        '}',
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 3, data: { target: 'console.*' } }],
      name: 'putting back the same console object (not a copy) does not undo patches of its members',
    },
    {
      code: [
        'const warn = console.warn;',
        'const disableWarnings = () => { console.warn = () => {}; };',
        'const enableWarnings = () => { console.warn = warn; };',
        "it('finds a legacy id', async () => {",
        '  disableWarnings();',
        '  await repo.find(id);',
        '  enableWarnings();',
        '});',
        'const savedError = console.error;',
        'export function start() { console.error = sink; }',
        'export function stop() { console.error = savedError; }',
      ].join('\n'),
      errors: [
        { messageId: 'restoredOutsideFinally', line: 2, data: { target: 'console.warn' } },
        { messageId: 'neverRestored', line: 10, data: { target: 'console.error' } },
      ],
      name: 'a helper that only patches is judged at its in-file calls (automerge-repo); with none, never restored',
    },
    {
      code: [
        'const warn = console.warn;',
        'function disableWarnings() { console.warn = () => {}; }',
        'function enableWarnings() { console.warn = warn; }',
        "it('a', () => { disableWarnings(); try { run(); } finally { enableWarnings(); } });",
        "it('b', () => { disableWarnings(); run(); });",
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 2, data: { target: 'console.warn' } }],
      name: 'a helper patch takes the worst verdict among its calls',
    },
    {
      code: [
        'function sink(method, fn) {',
        '  const orig = console[method];',
        '  console[method] = function () { console[method] = orig; fn(arguments); };',
        '}',
        'function absentMethodTest(method, fallback) {',
        "  test('falls back', ({ end }) => {",
        '    const fn = console[method];',
        '    console[method] = undefined;',
        '    sink(fallback, () => { end(); console[method] = fn; });',
        '    logger[method]("test");',
        '  });',
        '}',
        'absentMethodTest("debug", "log");',
      ].join('\n'),
      errors: [
        { messageId: 'restoredByReplacement', line: 3, data: { target: 'console.*' } },
        { messageId: 'restoredByReplacement', line: 8, data: { target: 'console.*' } },
      ],
      name: 'a restore in a callback that an in-file stub calls is put back by the replacement (pino browser test)',
    },
  ],
});

run('no-global-stdout-rebinding: scripts that own their process', rule, {
  valid: [
    {
      code: '#!/usr/bin/env node\nconst original = console.log;\nconsole.log = console.error;\nshowHelp();\nconsole.log = original;\nexport {};',
      name: 'a file with a shebang is a process entry (borp)',
    },
    {
      code: [
        'const write = process.stdout.write.bind(process.stdout);',
        "process.stdout.write = (chunk) => write('hack ' + chunk);",
        "require('../../')().info('me');",
      ].join('\n'),
      name: 'a script that exports nothing and registers no tests is run as its own process (a spawned fixture)',
    },
  ],
  invalid: [
    {
      code: "console.error = () => {};\nmodule.exports = async function run(options) { return makeStream(options); };",
      errors: [{ messageId: 'moduleScope', line: 1 }],
      name: 'a module that exports is imported by someone (also a worker-thread transport: see Limits)',
    },
    {
      code: "console.log = () => {};\ntest('quiet', () => { run(); });",
      errors: [{ messageId: 'moduleScope', line: 1 }],
      name: 'a test file shares its process with the runner: a top-level test registration counts',
    },
    {
      code: "console.log = () => {};\ndescribe.each([1, 2])('case %i', (n) => { it('runs', () => run(n)); });",
      errors: [{ messageId: 'moduleScope', line: 1 }],
      name: 'a registration through a chain (describe.each(…)(…)) counts',
    },
    {
      code: "console.log = () => {};\nObject.defineProperty(exports, 'quiet', { value: true });",
      errors: [{ messageId: 'moduleScope', line: 1 }],
      name: 'any mention of exports counts as exporting',
    },
  ],
});

run('no-global-stdout-rebinding: code paths', rule, {
  valid: [],
  invalid: [
    {
      code: [
        'function setQuiet(on) {',
        '  if (on) {',
        '    console.log = () => {};',
        '  } else {',
        '    console.log = originalLog;',
        '  }',
        '}',
        'function toggle(on) { on ? (process.stdout.write = sink) : (process.stdout.write = saved); }',
        'function mode(m) { switch (m) { case "quiet": console.warn = sink; break; default: console.warn = saved; } }',
      ].join('\n'),
      errors: [
        { messageId: 'neverRestored', line: 3, data: { target: 'console.log' } },
        { messageId: 'neverRestored', line: 8, data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', line: 9, data: { target: 'console.warn' } },
      ],
      name: 'a restore on an exclusive branch (if / ?: / switch) is no restore of the patch',
    },
    {
      code: [
        'const saved = {};',
        'function start() { saved.write = process.stdout.write; process.stdout.write = sink; }',
        'function stop() { process.stdout.write = saved.write; }',
      ].join('\n'),
      errors: [{ messageId: 'neverRestored', line: 2, column: 56 }],
      name: 'a start / stop pair',
    },
    {
      code: [
        "test('logs once', () => {",
        '  const info = console.info;',
        '  console.info = function (message) {',
        "    expect(message).toBe('hi');",
        '    console.info = info;',
        '  };',
        '  logger.info("hi");',
        '});',
      ].join('\n'),
      errors: [{ messageId: 'restoredByReplacement', line: 3, data: { target: 'console.info' } }],
      name: 'a one-shot stub that restores when it is called (the pino browser-test shape)',
    },
  ],
});

run('no-global-stdout-rebinding: delete', rule, {
  valid: [
    {
      code: 'function f() { delete process.env.DEBUG; delete stream.write; delete options.console; }',
      name: 'deleting other members',
    },
  ],
  invalid: [
    {
      code: 'function f() { delete process.stdout.write; delete globalThis.console; }',
      errors: [
        { messageId: 'neverRestored', column: 23, data: { target: 'process.stdout.write' } },
        { messageId: 'neverRestored', column: 52, data: { target: 'console' } },
      ],
      name: 'delete process.stdout.write and delete globalThis.console',
    },
    {
      filename: 'file.js',
      code: 'delete console;\nmodule.exports = run;',
      languageOptions: { parserOptions: { sourceType: 'script' } },
      errors: [{ messageId: 'moduleScope', data: { target: 'console' } }],
      name: 'delete console at script top level',
    },
  ],
});

describe('no-global-stdout-rebinding: option schema', () => {
  // ESLint validates options against meta.schema before the rule runs and throws on a mismatch,
  // which is what a user with a bad config sees.
  const lintWithOptions = (options: unknown): Linter.LintMessage[] =>
    new Linter({ configType: 'flat' }).verify('function f() { console.log = sink; }', [
      {
        plugins: { ctx: { rules: { 'no-global-stdout-rebinding': rule as never } } },
        rules: { 'ctx/no-global-stdout-rebinding': ['error', options] },
      },
    ]);

  it.each([
    ['an unknown key', { allowModuleScopes: true }, /additional properties/u],
    ['a non-boolean allowModuleScope', { allowModuleScope: 'yes' }, /should be boolean/u],
    ['a non-boolean checkTestDoubles', { checkTestDoubles: 1 }, /should be boolean/u],
    ['additionalTargets as a string', { additionalTargets: 'Deno.stdout' }, /should be array/u],
    ['a target that is not a dotted path', { additionalTargets: ['Deno stdout'] }, /should match pattern/u],
    ['a wildcard in the middle', { additionalTargets: ['Deno.*.write'] }, /should match pattern/u],
    ['a duplicated target', { additionalTargets: ['Deno.stdout', 'Deno.stdout'] }, /duplicate items/u],
  ])('rejects %s', (_description, options, message) => {
    expect(() => lintWithOptions(options)).toThrow(message);
  });

  it('accepts every documented option and reports with them', () => {
    const messages = lintWithOptions({ allowModuleScope: true, checkTestDoubles: true, additionalTargets: ['Deno.stdout.*'] });
    expect(messages.map((message) => message.messageId)).toEqual(['neverRestored']);
  });

  it('declares its defaults and config membership', () => {
    expect(rule.meta.defaultOptions).toEqual([
      { allowModuleScope: false, checkTestDoubles: false, concurrentTests: false, additionalTargets: [] },
    ]);
    expect(rule.meta.type).toBe('problem');
    expect(rule.meta.docs?.recommended).toBe(true);
  });
});

describe('no-global-stdout-rebinding: cost', () => {
  it('resolves long parameter chains once per binding, not once per path (bundles chain helpers deeply)', () => {
    // level0(stream) rebinds stream.write; each levelN calls level(N-1) twice with its own parameter,
    // and the last level is called with process.stdout. Re-resolving per call path would be 2^40.
    const levels = 40;
    const functions = Array.from({ length: levels }, (_, level) =>
      level === 0
        ? 'function level0(stream) { stream.write = sink; }'
        : `function level${level}(stream) { level${level - 1}(stream); level${level - 1}(stream); }`,
    );
    const code = [...functions, `level${levels - 1}(process.stdout);`].join('\n');
    const messages = new Linter({ configType: 'flat' }).verify(code, [
      {
        plugins: { ctx: { rules: { 'no-global-stdout-rebinding': rule as never } } },
        rules: { 'ctx/no-global-stdout-rebinding': 'error' },
      },
    ]);
    expect(messages.map((message) => [message.line, message.messageId])).toEqual([[1, 'neverRestored']]);
  });
});

describe('no-global-stdout-rebinding: with ESLint’s own parser', () => {
  // The RuleTester above parses with typescript-eslint; plain `.js` projects run espree and
  // eslint-scope, whose scope objects differ in details (definitions, parameter properties).
  it('reports the same shapes under espree / eslint-scope', () => {
    const code = [
      "import { stdout } from 'node:process';",
      'function hook(stream) { stream.write = sink; }',
      'hook(process.stderr);',
      'class Capture { constructor(out) { this.out = out; } start() { this.out.write = sink; } }',
      'new Capture(stdout);',
      'async function f(o) { console.log = sink; try { await run(); } finally { console.log = o; } }',
      'function g(process) { process.stdout.write = sink; }',
      'console.error = sink;',
      'function h() { const o = console.warn; console.warn = sink; try { run(); } finally { console.warn = o; } }',
      'export { h };',
    ].join('\n');
    const messages = new Linter({ configType: 'flat' }).verify(
      code,
      [
        {
          plugins: { ctx: { rules: { 'no-global-stdout-rebinding': rule as never } } },
          rules: { 'ctx/no-global-stdout-rebinding': 'error' },
        },
      ],
      'file.js',
    );
    expect(messages.map((message) => [message.line, message.messageId])).toEqual([
      [2, 'neverRestored'],
      [4, 'neverRestored'],
      [6, 'activeAcrossAsync'],
      [8, 'moduleScope'],
    ]);
  });
});

describe('no-global-stdout-rebinding: the built-in pre-checks skip nothing the rule reports', () => {
  // An additional target turns off both built-in pre-checks (`mayRebindBuiltInTargets` in
  // create, `mayPassTargetsToCalls` before parameters are resolved): on every case above that
  // runs with the built-in targets only, the reports must be the same with and without them.
  const lint = (test: ReplayedCase, options: Record<string, unknown>): string[] =>
    new Linter({ configType: 'flat' })
      .verify(
        test.code,
        [
          {
            files: ['**/*.*'],
            languageOptions: { parser: tsParser as Linter.Parser, parserOptions: test.languageOptions?.parserOptions ?? {} },
            plugins: { ctx: { rules: { 'no-global-stdout-rebinding': rule as never } } },
            rules: { 'ctx/no-global-stdout-rebinding': ['error', options] },
          },
        ],
        test.filename ?? 'file.ts',
      )
      .map((message) => `${message.line}:${message.column} ${message.messageId ?? message.message}`);
  const builtInOnly = everyCase.filter((test) => {
    const options = (test.options?.[0] ?? {}) as Record<string, unknown>;
    return options.additionalTargets === undefined && options.checkTestDoubles !== true;
  });

  it('replays enough cases to mean something', () => {
    expect(builtInOnly.length).toBeGreaterThan(150);
    expect(builtInOnly.filter((test) => lint(test, (test.options?.[0] ?? {}) as Record<string, unknown>).length > 0).length).toBeGreaterThan(75);
  });

  it.each(builtInOnly.map((test, index) => [test.name ?? test.code.slice(0, 60), index] as const))('%s', (_name, index) => {
    const test = builtInOnly[index]!;
    const options = (test.options?.[0] ?? {}) as Record<string, unknown>;
    expect(lint(test, options)).toEqual(lint(test, { ...options, additionalTargets: ['neverNamedHere.write'] }));
  });
});
