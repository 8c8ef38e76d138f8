import { RuleTester, type InvalidTestCase } from '@typescript-eslint/rule-tester';

import { analyzeTryFinallyCleanups, type AstNode } from '../../analysis/try-finally-cleanup.js';
import { parseForCleanupAnalysis } from '../../analysis/try-finally-parse.js';
import { cleanupPolicyFor } from '../../analysis/try-finally-policy.js';
import { rewriteCleanupSite } from '../../codemods/try-finally-to-using.js';
import rule from '../../rules/prefer-using.js';

// The rule and the codemod share one detector; tests/codemods/try-finally-to-using.test.ts
// checks that they agree on every fixture. These cases pin the rule's own behaviour: where it
// reports, what it says, and that it stays quiet on every refusal.
const ruleTester = new RuleTester();

type Case = InvalidTestCase<'preferUsing' | 'rewriteWithUsing', [{ allSites?: boolean }]>;

/**
 * Each report's suggestion must be the codemod's rewrite of that site: this computes it on the
 * codemod's side (its Babel parse, its detector run, its printer) and expects it on every error.
 */
function withCodemodSuggestions(testCase: Case): Case {
  const filename = testCase.filename ?? 'file.ts';
  const { code } = testCase;
  const file = parseForCleanupAnalysis(code, filename) as unknown as AstNode;
  const options = testCase.options?.[0] ?? {};
  const analysis = analyzeTryFinallyCleanups(file, cleanupPolicyFor({ allSites: options.allSites, filePath: filename, comments: file.comments as unknown[] }));
  if (analysis.chains.length !== testCase.errors.length) {
    throw new Error(`the codemod finds ${analysis.chains.length} sites where the case expects ${testCase.errors.length} reports:\n${code}`);
  }
  const rewrites = analysis.chains.map((chain) => {
    const { range, text } = rewriteCleanupSite(code, file, analysis, chain);
    return code.slice(0, range[0]) + text + code.slice(range[1]);
  });
  return {
    ...testCase,
    errors: testCase.errors.map((error, index) => ({
      ...error,
      suggestions: [{ messageId: 'rewriteWithUsing' as const, output: rewrites[index]! }],
    })),
  };
}

ruleTester.run('prefer-using', rule, {
  valid: [
    // No `finally` at all: the cheap bail-out.
    `function f() { const a = open(); a.close(); }`,
    // Already `using`.
    `function f() { using a = open(); a.read(); }`,
    // An empty finally cleans nothing up.
    `function f() { try { work(); } catch { recover(); } finally {} }`,
    // The word `finally` alone does not make a site.
    `const text = 'finally';`,
    // Nor a promise's \`.finally()\` (the text pre-check skips the file).
    `function f() { return load().finally(() => done()); }`,
    // finally-control-flow
    `function f() { const a = open(); try { work(); } finally { a.close(); return 1; } }`,
    `function f() { for (const x of xs) { const a = open(x); try { work(); } finally { a.close(); continue; } } }`,
    // finally-not-cleanup-only
    `function f() { const a = open(); try { work(); } finally { const n = a.name; a.close(); log(n); } }`,
    // conditional-cleanup
    `function f() { const a = open(); let kept = false; try { kept = true; } finally { if (!kept) a.close(); } }`,
    `function f() { const a = open(); try { work(); } finally { if (a) a.close(); else log(); } }`,
    // A flag is not a null check of the released value.
    `function f(fd: number) { let threw = true; try { work(fd); threw = false; } finally { if (threw) closeSync(fd); } }`,
    `function f() { const a = open(); let ok = false; try { ok = true; } finally { ok && a.close(); } }`,
    // resource-reassigned
    `function f() { let a = open('1'); try { a = open('2'); } finally { a.close(); } }`,
    // resource-escapes
    `function f() { const a = open(); try { return a; } finally { a.close(); } }`,
    `function f(box: { r?: unknown }) { const a = open(); try { box.r = a; } finally { a.close(); } }`,
    `function f(list: unknown[]) { const a = open(); try { list.push(1); const kept = [a]; use(kept); } finally { a.close(); } }`,
    `function f() { const a = open(); try { return { a }; } finally { a.close(); } }`,
    // lone-side-effect: one cleanup that releases no value acquired before the try.
    `function f() { let busy = true; try { work(); } finally { busy = false; } }`,
    `function f() { const previous = process.title; process.title = 'x'; try { work(); } finally { process.title = previous; } }`,
    `class C { run() { try { this.work(); } finally { this.reading = false; } } }`,
    `function f() { try { work(); } finally { console.log('done'); } }`,
    // Several side effects that release nothing acquired before the try (real code: field resets and a log).
    `function f() { let busy = true; try { work(); } finally { busy = false; log('done'); } }`,
    `class C { async run() { try { await this.flush(); } finally { this.timer = null; this.pending = 0; this.emit('end'); } } }`,
    // A parameter was not acquired here: closing it is the caller's business, or a hand-off.
    `function f(fd: number) { try { work(fd); } finally { closeSync(fd); } }`,
    // implicit-any-capture (TypeScript): read from a callback, an unannotated empty \`let\` is any.
    `function f() { let conn; try { conn = connect(); conn.query(); } finally { conn?.end(); } }`,
    `function f() { let conn = null; try { conn = connect(); conn.query(); } finally { if (conn) conn.end(); } }`,
    // ignored-by-comment, above the try or above the declaration right before it.
    `function f() {
  const a = open();
  // ctx-codemod-ignore-next-line
  try { work(a); } finally { a.close(); }
}`,
    `function f() {
  // ctx-codemod-ignore-next-line
  const a = open();
  try { work(a); } finally { a.close(); }
}`,
    // The comment above a pyramid skips the whole site, the inner try included.
    `function f() {
  // ctx-codemod-ignore-next-line
  const a = open();
  try {
    const b = open();
    try { work(a, b); } finally { b.close(); }
  } finally {
    a.close();
  }
}`,
    // A module-level flag is not a value acquired before the try either.
    `let busy = false; export function f() { try { work(); } finally { busy = false; } }`,
    // A do-nothing cleanup that is never replaced releases nothing.
    `function f() { let cleanup = () => {}; try { work(); } finally { cleanup(); } }`,
    // A callback that does something from the start is not a placeholder for a release.
    `function f(other: () => void) { let report = (x?: string) => log(x); try { report = other; } finally { report(); } }`,
    // \`yield*\` hands over to another generator: its result was not acquired by a call here.
    `function* g() { const v = yield* inner(); try { work(); } finally { done(v); } }`,
    // A swallowing try/catch around a side effect is still only a side effect.
    `function f() { try { work(); } finally { try { log('end'); } catch {} } }`,
  ],
  invalid: ([
    {
      // The text pre-check looks for \`finally\` then \`{\`: comments may stand between the two.
      code: `function f() {\n  const a = open();\n  try {\n    work(a);\n  } finally /* always */ // release\n  {\n    a.close();\n  }\n}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
      name: 'comments between finally and its block do not hide the site',
    },
    {
      // allSites: the lone side effect is reported too, as `ctx-codemod --all-sites` converts it.
      code: `function f() { let busy = true; try { work(); } finally { busy = false; } }`,
      options: [{ allSites: true }],
      errors: [{ messageId: 'preferUsing', line: 1, column: 33 }],
      name: 'allSites reports a lone side effect',
    },
    {
      // Several side effects in one finally read no better on a stack than one: only allSites.
      code: `function f() { let busy = true; try { work(); } finally { busy = false; log('done'); } }`,
      options: [{ allSites: true }],
      errors: [{ messageId: 'preferUsing' }],
      name: 'allSites reports a finally of several side effects',
    },
    {
      // One release among side effects makes it a site.
      code: `function f() { const a = open(); try { work(a); } finally { busy = false; a.close(); } }`,
      errors: [{ messageId: 'preferUsing' }],
      name: 'a release among side effects is reported',
    },
    {
      // Nested try/finally: a chain of one-statement side effects still converts.
      code: `function f() {
  try {
    try { work(); } finally { inner = false; }
  } finally {
    outer = false;
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 2, column: 3 }],
    },
    {
      // The acquired value passed to a release function.
      code: `function f(p: string) { const fd = openSync(p); try { work(fd); } finally { closeSync(fd); } }`,
      errors: [{ messageId: 'preferUsing' }],
    },
    {
      code: `function f() { const timer = setTimeout(tick, 10); try { work(); } finally { clearTimeout(timer); } }`,
      errors: [{ messageId: 'preferUsing' }],
    },
    {
      // The acquired value called: async-mutex's \`release\`.
      code: `async function f(mutex: Mutex) { const release = await mutex.acquire(); try { await work(); } finally { release(); } }`,
      errors: [{ messageId: 'preferUsing' }],
    },
    {
      // \`x[Symbol.dispose]()\` converts even on a parameter.
      code: `function f(x: Disposable) { try { work(x); } finally { x[Symbol.dispose](); } }`,
      errors: [{ messageId: 'preferUsing' }],
    },
    {
      // A jest / vitest spy restored in finally becomes \`using spy = …\`.
      code: `function f() { const spy = vi.spyOn(console, 'log').mockImplementation(() => {}); try { run(); } finally { spy.mockRestore(); } }`,
      errors: [{ messageId: 'preferUsing' }],
    },
    {
      // An annotated late-acquired \`let\` type-checks in the callback.
      code: `function f() { let conn: Conn | undefined; try { conn = connect(); conn.query(); } finally { conn?.end(); } }`,
      errors: [{ messageId: 'preferUsing' }],
    },
    {
      // A blank line between the comment and the try: not "directly above".
      code: `function f() {
  const a = open();
  // ctx-codemod-ignore-next-line

  try { work(a); } finally { a.close(); }
}`,
      errors: [{ messageId: 'preferUsing', line: 5, column: 3 }],
    },
    {
      // The comment skips only the try below it: the outer site is still reported.
      code: `function f() {
  const a = open();
  try {
    const b = open();
    // ctx-codemod-ignore-next-line
    try { work(a, b); } finally { b.close(); }
    work(a);
  } finally {
    a.close();
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
    },
    {
      code: `function f() {
  const a = open();
  try {
    a.read();
  } finally {
    a.close();
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3, endLine: 3, endColumn: 6 }],
    },
    {
      // A pyramid is one site (one stack), reported at the outer try.
      code: `function f() {
  const a = open('a');
  try {
    const b = open('b');
    try {
      work(a, b);
    } finally {
      b.close();
    }
  } finally {
    a.close();
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
    },
    {
      // An inner try that is not the last statement gets its own stack: a second site.
      code: `function f() {
  const a = open('a');
  try {
    const b = open('b');
    try {
      work(b);
    } finally {
      b.close();
    }
    work(a);
  } finally {
    a.close();
  }
}`,
      errors: [
        { messageId: 'preferUsing', line: 3, column: 3 },
        { messageId: 'preferUsing', line: 5, column: 5 },
      ],
    },
    {
      // A refused outer try does not hide a convertible inner one.
      code: `function f() {
  const a = open('a');
  try {
    const b = open('b');
    try { work(b); } finally { b.close(); }
  } finally {
    a.close();
    throw new Error('x');
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 5, column: 5 }],
    },
    {
      // The outer finally holds its own try/finally (refused: finally-not-cleanup-only); that
      // inner try is a site of its own, converted inside the finally block.
      code: `function f() {
  const a = open();
  try {
    work();
  } finally {
    const b = open();
    try { a.close(); } finally { b.close(); }
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 7, column: 5 }],
    },
    {
      // The same with a lone side effect as the inner cleanup: only with allSites.
      code: `function f() {
  const a = open();
  try {
    work();
  } finally {
    try { a.close(); } finally { log(); }
  }
}`,
      options: [{ allSites: true }],
      errors: [{ messageId: 'preferUsing', line: 6, column: 5 }],
      name: 'allSites reports an inner lone side effect inside a refused finally',
    },
    {
      // try/catch/finally, awaited cleanup, late acquisition, null check (JavaScript: an
      // unannotated \`let conn;\` is fine there).
      filename: 'file.js',
      code: `async function f() {
  let conn;
  try {
    conn = await connect();
    await conn.query();
  } catch (error) {
    report(error);
  } finally {
    if (conn != null) await conn.end();
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
    },
    {
      // A resource in a literal handed straight to a call is an argument, not an escape.
      code: `async function f(work: Promise<void>) {
  const timeout = startTimer();
  try {
    await Promise.race([work, timeout]);
    emit({ timeout });
  } finally {
    timeout.clear();
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
    },
    {
      // A lock that hands back [value, release] (async-mutex's Semaphore.acquire()).
      code: `async function f(semaphore: Semaphore) {
  const [value, release] = await semaphore.acquire();
  try {
    await work(value);
  } finally {
    release();
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
      name: 'release() destructured from an awaited acquire()',
    },
    {
      // The same in async code compiled to a generator (TypeScript's __awaiter): \`yield\` awaits.
      filename: 'index.mjs',
      code: `function run(semaphore) {
  return __awaiter(this, void 0, void 0, function* () {
    const [value, release] = yield semaphore.acquire();
    try {
      return yield work(value);
    } finally {
      release();
    }
  });
}`,
      errors: [{ messageId: 'preferUsing', line: 4, column: 5 }],
      name: 'release() destructured from a yielded acquire()',
    },
    {
      // A do-nothing placeholder replaced by the release once the lock is held.
      filename: 'index.mjs',
      code: `async function run(mutex) {
  let release = () => undefined;
  try {
    release = await mutex.acquire();
    return await work();
  } finally {
    release();
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
      name: 'release() through a placeholder assigned in the try',
    },
    {
      // A temporary directory made before the try and removed in finally.
      code: `function f() {
  const dir = mkdtempSync(join(tmpdir(), 'x-'));
  try {
    work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
      name: 'rmSync of a mkdtempSync directory',
    },
    {
      // The same removal with its error swallowed (pino's test/smoke.js).
      code: `function f() {
  const dir = mkdtempSync(join(tmpdir(), 'x-'));
  try {
    work(dir);
  } finally {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {}
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
      name: 'rmSync of a mkdtempSync directory inside a swallowing try/catch',
    },
    {
      // The message names the command and the file that it fixes.
      filename: 'src/module.ts',
      code: `const a = open(); try { a.read(); } finally { a.close(); }`,
      errors: [{ messageId: 'preferUsing', data: { file: 'src/module.ts' } }],
    },
    {
      // TSX: the codemod's tsx parser is picked by extension.
      filename: 'view.tsx',
      code: `export function View() {
  const s = open();
  try {
    return <div>{s.name}</div>;
  } finally {
    s.close();
  }
}`,
      languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
      errors: [{ messageId: 'preferUsing', line: 3, column: 3 }],
    },
  ] satisfies Case[]).map(withCodemodSuggestions),
});
