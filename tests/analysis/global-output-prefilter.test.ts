import tsParser from '@typescript-eslint/parser';
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

import { mayPassTargetsToCalls, mayRebindBuiltInTargets } from '../../analysis/global-output-prefilter.js';
import stdoutRule from '../../rules/no-global-stdout-rebinding.js';

/** Runs `inspect` on the scope manager of `code`, parsed as TypeScript by ESLint. */
function withScopeManager<T>(code: string, inspect: (scopeManager: TSESLint.Scope.ScopeManager | null) => T): T {
  let result: T | undefined;
  const probe = {
    create(context: { sourceCode: { scopeManager: TSESLint.Scope.ScopeManager | null } }) {
      return {
        'Program:exit'() {
          result = inspect(context.sourceCode.scopeManager);
        },
      };
    },
  };
  const messages = new Linter({ configType: 'flat' }).verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as Linter.Parser },
        plugins: { probe: { rules: { probe: probe as never } } },
        rules: { 'probe/probe': 'error' },
      },
    ],
    'file.ts',
  );
  expect(messages).toEqual([]);
  return result as T;
}

/** The reports of `no-global-stdout-rebinding` on `code` (TypeScript) with `options`. */
function lintStdout(code: string, options: Record<string, unknown>): string[] {
  return new Linter({ configType: 'flat' })
    .verify(
      code,
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser as Linter.Parser },
          plugins: { ctx: { rules: { 'no-global-stdout-rebinding': stdoutRule as never } } },
          rules: { 'ctx/no-global-stdout-rebinding': ['error', options] },
        },
      ],
      'file.ts',
    )
    .map((message) => `${message.line}:${message.column} ${message.messageId ?? message.message}`);
}

// Files in which no call of the file can be handed a built-in target.
const passingNone: Array<[string, string]> = [
    ['calls and member reads only', 'console.log(process.env.HOME);\nprocess.stdout.write("x");'],
    [
      'targets handed to globals and to their own methods',
      "const d = Object.getOwnPropertyDescriptor(process.stdout, 'write');\nconst w = process.stdout.write.bind(process.stdout);\nvi.spyOn(console, 'log');",
    ],
    ['a target handed to an imported function', "import { render } from './render.js';\nrender(process.stdout);"],
    ['the global object used for other members', 'const w = window as any;\nw.ethereum.request();\nnew globalThis.BroadcastChannel("x");'],
    [
      'targets handed to required modules and to compiled calls',
      "const util = require('node:util');\nconst _x = _interopRequireDefault(require('x'));\nconst { format } = require('node:util');\n(0, _x.default)(process.stdout);\nutil.inspect(console);\nformat(process.stderr);\n(0, hook)(process.stdout);",
    ],
    ['imports of node:process used only to write and read', "import { stdout, env } from 'node:process';\nimport * as proc from 'node:process';\nstdout.write('x');\nconsole.log(env.HOME, proc.argv);"],
    [
      'targets piped, stored in variables and members, and handed to methods two members deep',
      "const child = spawn('x');\nchild.stderr.pipe(process.stderr);\nlet out;\nout = process.stdout;\nglobal.console = console;\nnew stream.Writable(process.stdout);\nthis.a.b(process.stdout);",
    ],
    [
      'node:process and node:console required, read only',
      "const { platform } = require('process');\nconst { Console } = require('node:console');\nconsole.log(platform, Console);",
    ],
    ['targets kept where no call sees them', 'const options = { out: process.stdout };\nconst { pid } = process;\nconst get = () => console;'],
    // The global object itself resolves to the empty path, which merged values (parameters, fields) drop.
    [
      'the global object itself handed to functions of the file, stored in a field, or as a default',
      "function use(g) { return g; }\nuse(globalThis);\nclass C { constructor(g) { this.g = window; } }\nnew C(self);\nconst f = ({ fetchAPI = globalThis }) => fetchAPI.crypto;\nconst g = opts.g ?? globalThis;\nuse(g[key]);\nuse(globalThis[key]);\nhook(globalThis);\nhook(window[key]);",
    ],
];

describe('mayPassTargetsToCalls', () => {
  it.each([
    ['a stream handed to a function of the file', 'function hook(s) { s.write = f; }\nhook(process.stdout);'],
    ['an alias handed on', 'const out = process.stdout;\nconst run = (s) => s;\nrun(out);'],
    ['the console through the global object', 'class C { constructor(c) { this.c = c; } }\nnew C(globalThis.console);'],
    ['a method call on this', 'class C { a() { this.b(console); } b(c) { c.log = f; } }'],
    ['a value the scan does not follow (a field)', 'class C { out = process.stderr; }'],
    ['a stream imported from node:process, handed on', "import { stdout } from 'node:process';\nfunction hook(s) { s.write = w; }\nhook(stdout);"],
    ['a stream stored in a field of this', 'class C { constructor() { this.out = process.stdout; } }'],
    ['a stream handed on by fn.call', 'function hook(s) { s.write = w; }\nhook.call(null, process.stdout);'],
    ['the value of an assignment handed on', 'let out;\nuse(out = process.stdout);\nfunction use(s) { s.write = w; }'],
    ['a stream handed to a helper that only reads a member (a saved original needs the parameter resolved)', 'let saved;\nfunction save(s) { saved = s.write; }\nsave(process.stdout);'],
    ['the console taken from the global object handed on', 'function hook(c) { c.log = w; }\nhook(globalThis.console);'],
    ['the console taken from an alias of the global object handed on', 'const g = opts.g || globalThis;\nconst h = globalThis;\nfunction hook(c) { c.log = w; }\nhook(h.console);'],
    ['a stream of a required node:process handed on', "const p = require('node:process');\nfunction hook(s) { s.write = w; }\nhook(p.stdout);"],
    ['a stream handed to a function beside required modules', "const util = require('node:util');\nfunction hook(s) { s.write = w; }\nhook(process.stdout);"],
  ])('true for %s', (_name, code) => {
    expect(withScopeManager(code, mayPassTargetsToCalls)).toBe(true);
  });

  it.each(passingNone)('false for %s', (_name, code) => {
    expect(withScopeManager(code, mayPassTargetsToCalls)).toBe(false);
  });

  it('is finer than the rebinding prefilter: a file may rebind a target and pass none', () => {
    const code = 'const w = process.stdout.write;\nprocess.stdout.write = () => true;\nprocess.stdout.write = w;';
    expect(withScopeManager(code, mayRebindBuiltInTargets)).toBe(true);
    expect(withScopeManager(code, mayPassTargetsToCalls)).toBe(false);
  });
});

describe('mayRebindBuiltInTargets', () => {
  // Files the pre-check skips whole: each names a target only where nothing can rebind it.
  const skipped: Array<[string, string]> = [
    ['calls and member reads', 'console.log(process.env.HOME);\nprocess.stdout.write("x");'],
    ['a member of process that is no stream, assigned', 'process.exitCode = 1;\nprocess.title = "x";\ndelete process.env.X;'],
    ['require of a computed or unrelated module', 'const m = require(name);\nconst fs = require("node:fs");\nconst t = require(`./${x}`);'],
    ['a computed member of the global object', 'const s = globalThis[key] || globalThis.Symbol;\nglobalThis[key] = value;\nwindow[name] = 1;'],
    ['the objects tested, compared and printed', 'if (typeof window !== "undefined" && typeof process === "object") f();\nconst same = x === console;\nconst ok = "crypto" in globalThis;\nlog(`${process.stdout}`);'],
    ['the objects returned', 'function logger(l) { if (l === undefined) return console; return l; }\nconst out = () => process.stdout;\nconst g = () => globalThis;'],
    ['the objects in object literals', 'const options = { stream: process.stdout, logger: console, env: { __proto__: process } };'],
    ['members destructured that lead to no target', 'const { pid, env } = process;\nconst { setInterval } = global;\nconst { log, error } = console;'],
    ['the process object replaced whole', 'global.process = { __proto__: process, pid: 1 };'],
    ['aliases of the global object used for other members', 'const w = window as any;\nw.ethereum.request();\nconst g = globalThis;\nif (g.crypto) g.fetch("x");'],
    [
      'targets piped, stored in variables, and handed to methods of other objects',
      "const child = spawn('x');\nchild.stderr.pipe(process.stderr);\nlet out;\nout = process.stdout;\nlogger.setConsole(console);\nnew stream.Writable(process.stdout);",
    ],
    ['the global object handed to a helper that only tests and returns it', "function defd(o) { return typeof o !== 'undefined' && o; }\nconst g = defd(self) || defd(window) || {};"],
    [
      'imports of node:process and node:console that only read',
      "import * as proc from 'node:process';\nimport { env } from 'node:process';\nimport { log } from 'node:console';\nproc.stdout.write(env.X);\nif (proc.exitCode) log('x');",
    ],
    ['members of a stream other than write, assigned and deleted', 'delete process.stdout.fd;\nprocess.stdout.fd = 1;\nprocess.stderr.isTTY = true;'],
    ['computed members of the console and of a stream read', "self[title] = console[title];\nconst w = process.stdout[name];\nconsole[level]('x');"],
    ['a symbol-keyed member of process read', "if (!process[Symbol.for('ts-node.register.instance')]) f();"],
    [
      'require of node:process and node:console, destructured into no target or read',
      "const { platform } = require('process');\nconst { Console } = require('console');\nconst C = require('node:console').Console;\nconst argv = require('node:process').argv;",
    ],
    ['the global object behind a type assertion, for other members', 'const safari = !(window as any).safari;\n(globalThis as any).fetch("x");'],
    ['the global object and a stream as default values', 'const f = ({ fetchAPI = globalThis }) => fetchAPI.crypto;\nfunction g(out = process.stdout) { return out; }'],
  ];
  // Near misses of the shapes above: each can rebind a target.
  const kept: Array<[string, string]> = [
    ['a stream of process, assigned', 'function f() { process.stdout = s; }'],
    ['a stream of process by a static computed key', "function f() { process['stderr'].write = w; }"],
    ['a computed member of process', 'function f(k) { process[k].write = w; }'],
    ['require of node:process by a template literal', 'const p = require(`node:process`);\nfunction f() { p.stdout.write = w; }'],
    ['the console through the global object by a static key', "function f() { globalThis['console'].log = w; }"],
    ['the global object through the global object', 'function f() { window.self.console = c; }'],
    ['the global object kept as a value', 'const g = globalThis;\nif (typeof window === "undefined") f();\nfunction f() { g.console.log = w; }'],
    ['a stream handed on', 'function hook(s) { s.write = w; }\nfunction f() { hook(process.stdout); }'],
    ['the console deleted', 'function f() { delete globalThis.console; }'],
    ['a stream destructured from process', 'const { stdout } = process;\nfunction f() { stdout.write = w; }'],
    ['the console destructured from the global object', 'const { console: c } = globalThis;\nfunction f() { c.log = w; }'],
    ['the console in a destructuring assignment', 'function f(o) { ({ log: console } = o); }'],
    ['the console replaced whole through the global object', 'function f() { globalThis.console = c; }'],
    ['an alias of an alias of a stream', 'const a = process.stdout;\nconst b = a;\nfunction f() { b.write = w; }'],
    ['the console handed to Object.assign', 'function f() { Object.assign(console, { log: w }); }'],
    ['a stream handed to Reflect.set', "function f() { Reflect.set(process.stdout, 'write', w); }"],
    ['a stream stored in a field of this, then rebound', 'class C { constructor() { this.out = process.stdout; } mute() { this.out.write = w; } }'],
    ['a stream handed to a helper by fn.call', 'function hook(s) { s.write = w; }\nfunction f() { hook.call(null, process.stdout); }'],
    ['a stream handed through two helpers to a rebinding', 'function outer(s) { inner(s); }\nfunction inner(t) { t.write = w; }\nfunction f() { outer(process.stdout); }'],
    ['a namespace import of node:process', "import * as proc from 'node:process';\nfunction f() { proc.stdout.write = w; }"],
    ['a stream imported from node:process', "import { stdout } from 'node:process';\nfunction f() { stdout.write = w; }"],
    ['the default import of node:console', "import nodeConsole from 'node:console';\nfunction f() { nodeConsole.log = w; }"],
    ['a stream destructured from a required node:process', "const { stdout } = require('node:process');\nfunction f() { stdout.write = w; }"],
    ['the console behind a type assertion', 'function f() { (globalThis as any).console.log = w; }'],
    ['a computed member of the console rebound', 'function f(k) { console[k] = w; }'],
    ['a computed member of a stream rebound', 'function f(k) { process.stdout[k] = w; }'],
    ['write of a stream deleted', 'function f() { delete process.stdout.write; }'],
    ['a stream by a computed key, replaced whole', 'function f(k) { process[k] = s; }'],
  ];

  it.each(skipped)('false for %s', (_name, code) => {
    expect(withScopeManager(code, mayRebindBuiltInTargets)).toBe(false);
  });
  it.each(kept)('true for %s', (_name, code) => {
    expect(withScopeManager(code, mayRebindBuiltInTargets)).toBe(true);
  });

  // The rule with a target of its own has no built-in pre-check: the same reports with and
  // without it show that the pre-check skipped no file the rule would report on.
  it.each([...skipped, ...kept])('does not change what the rule reports: %s', (_name, code) => {
    const lint = (options: Record<string, unknown>): string[] => lintStdout(code, options);
    const withPrecheck = lint({});
    expect(withPrecheck).toEqual(lint({ additionalTargets: ['neverNamedHere.write'] }));
    expect(withPrecheck.length > 0).toBe(kept.some(([, keptCode]) => keptCode === code));
  });

  // With a helper that rebinds through its parameter, a file that passes it no target has no report.
  it.each(passingNone)('does not change what the rule reports with a rebinding helper: %s', (_name, code) => {
    const withHelper = `function hook(s) { s.write = w; }\n${code}`;
    expect(lintStdout(withHelper, {})).toEqual([]);
    expect(lintStdout(withHelper, { additionalTargets: ['neverNamedHere.write'] })).toEqual([]);
  });
});

describe('names spelled with escapes', () => {
  // The targets themselves: the rule reports them, with the built-in pre-checks and with a
  // target of its own (whose text test, `rootMention`, must let escapes through).
  it.each([
    ['an escaped identifier', 'function f() { \\u0063onsole.log = w; }'],
    ['an escaped string key', "function f() { globalThis['\\x63onsole'].log = w; }"],
    ['a string key continued on the next line', "function f() { globalThis['con\\\nsole'].log = w; }"],
    ['an escaped module name', "import p from 'pro\\u0063ess';\nfunction f() { p.stdout.write = w; }"],
  ])('are reported: %s', (_name, code) => {
    expect(lintStdout(code, {})).toHaveLength(1);
    expect(lintStdout(code, { additionalTargets: ['neverNamedHere.write'] })).toHaveLength(1);
  });
});
