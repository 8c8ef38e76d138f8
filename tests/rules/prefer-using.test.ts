import { RuleTester } from '@typescript-eslint/rule-tester';

import rule from '../../rules/prefer-using.js';

// The rule and the codemod share one detector; tests/codemods/try-finally-to-using.test.ts
// checks that they agree on every fixture. These cases pin the rule's own behaviour: where it
// reports, what it says, and that it stays quiet on every refusal.
const ruleTester = new RuleTester();

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
  ],
  invalid: [
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
    try { a.close(); } finally { log(); }
  }
}`,
      errors: [{ messageId: 'preferUsing', line: 6, column: 5 }],
    },
    {
      // try/catch/finally, awaited cleanup, late acquisition, null check.
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
  ],
});
