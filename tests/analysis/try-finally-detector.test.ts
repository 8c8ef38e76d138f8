import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parse as parseWithTypeScript } from '@typescript-eslint/typescript-estree';
import { vi, describe, expect, it } from 'vitest';

import { analyzeTryFinallyCleanups, type AstNode } from '../../analysis/try-finally-cleanup.js';
import { parseForCleanupAnalysis } from '../../analysis/try-finally-parse.js';
import { cleanupPolicyFor } from '../../analysis/try-finally-policy.js';
import { TRY_FINALLY_FIXTURES } from '../oracle/fixtures.js';

// The detector on its own: the same decisions on the codemod's Babel AST and on the ESTree AST
// ESLint gives the rule, the parser options of `.js` files, and the premise of the mock rewrite.

function onBabel(code: string, file: string, allSites = false) {
  const ast = parseForCleanupAnalysis(code, file) as unknown as AstNode;
  return analyzeTryFinallyCleanups(ast, cleanupPolicyFor({ allSites, filePath: file }));
}

function onEstree(code: string, file: string, allSites = false) {
  const ast = parseWithTypeScript(code, { jsx: !/\.[cm]?ts$/.test(file), loc: true, range: true, comment: true });
  return analyzeTryFinallyCleanups(ast as unknown as AstNode, cleanupPolicyFor({ allSites, filePath: file }));
}

const summary = (analysis: ReturnType<typeof onBabel>) => ({
  converted: analysis.chains.map(({ line, column }) => [line, column]),
  registrations: analysis.chains.flatMap((chain) => chain.members.flatMap((member) => member.registrations.map((r) => r.kind))),
  refused: analysis.refusals.map(({ line, column, reason }) => [line, column, reason]),
});

describe('one detector, two ASTs', () => {
  // Shapes where Babel and ESTree differ: optional chains, string and null literals, object
  // properties, class fields and private names, comments.
  const program = `
class Pool {
  #busy = false;
  size = 1;
  async run(work: () => Promise<void>) {
    const conn = await this.connect();
    let timer: ReturnType<typeof setTimeout> | null = null;
    try {
      timer = setTimeout(() => {}, 10);
      await work();
      emit({ conn: 'x', other: null });
    } finally {
      if (timer !== null) clearTimeout(timer);
      if (typeof conn !== 'undefined') conn?.release();
    }
  }
  stop() {
    this.#busy = true;
    try { this.size = 0; } finally { this.#busy = false; }
  }
}
export function f() {
  const a = open();
  // ctx-codemod-ignore-next-line
  try { a.read(); } finally { a.close(); }
  const spy = vi.spyOn(console, 'log');
  try { a.read(); } finally { spy.mockRestore(); }
}
`;

  it('decides the same on the Babel and the ESTree AST', () => {
    const babel = summary(onBabel(program, 'pool.ts'));
    expect(summary(onEstree(program, 'pool.ts'))).toEqual(babel);
    expect(babel.refused.map((refusal) => refusal[2])).toEqual(['lone-side-effect', 'ignored-by-comment']);
    expect(babel.registrations).toEqual(['defer', 'defer', 'dispose']);
  });

  it('converts the lone side effect too with allSites, on both ASTs', () => {
    const babel = summary(onBabel(program, 'pool.ts', true));
    expect(summary(onEstree(program, 'pool.ts', true))).toEqual(babel);
    expect(babel.converted).toHaveLength(3);
  });

  it('refuses an unannotated late `let` in TypeScript only', () => {
    const code = 'export function f() {\n  let c;\n  try { c = open(); } finally { c?.close(); }\n}\n';
    expect(onBabel(code, 'a.ts').refusals.map((refusal) => refusal.reason)).toEqual(['implicit-any-capture']);
    expect(onEstree(code, 'a.ts').refusals.map((refusal) => refusal.reason)).toEqual(['implicit-any-capture']);
    expect(onBabel(code, 'a.js').chains).toHaveLength(1);
    expect(onEstree(code, 'a.js').chains).toHaveLength(1);
  });

  it('without refusal reasons (the rule), drops what cannot convert and finds the same sites', () => {
    const sites = (analysis: ReturnType<typeof onBabel>) =>
      analysis.chains.map((chain) => ({
        at: [chain.line, chain.column],
        async: chain.async,
        needsStack: chain.needsStack,
        members: chain.members.map((member) => ({
          placement: member.placement,
          spliceBody: member.spliceBody,
          folded: member.foldedDeclaration !== null,
          registrations: member.registrations.map((registration) => [registration.kind, registration.subject, registration.releasesResource]),
        })),
      }));
    const bare = (code: string, file: string) => {
      const ast = parseForCleanupAnalysis(code, file) as unknown as AstNode;
      return analyzeTryFinallyCleanups(ast, { ...cleanupPolicyFor({ filePath: file }), refusals: false });
    };
    // The lone side effect of stop() is dropped undecided; the ignored site keeps its reason.
    expect(bare(program, 'pool.ts').refusals.map((refusal) => refusal.reason)).toEqual(['ignored-by-comment']);
    expect(sites(bare(program, 'pool.ts'))).toEqual(sites(onBabel(program, 'pool.ts')));
    const inputs = readdirSync(TRY_FINALLY_FIXTURES).filter((file) => /\.input\.\w+$/.test(file));
    expect(inputs.length).toBeGreaterThan(20);
    let dropped = 0;
    for (const file of inputs) {
      const code = readFileSync(path.join(TRY_FINALLY_FIXTURES, file), 'utf8');
      const full = onBabel(code, file);
      const fast = bare(code, file);
      expect(sites(fast), file).toEqual(sites(full));
      dropped += full.refusals.length - fast.refusals.length;
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('does not walk into ESLint-style parent pointers', () => {
    const ast = parseWithTypeScript('function f() { const a = open(); try { a.read(); } finally { a.close(); } }', { loc: true, range: true });
    const link = (node: Record<string, unknown>, parent: unknown): void => {
      node.parent = parent;
      for (const value of Object.values(node)) {
        for (const child of Array.isArray(value) ? value : [value]) {
          if (child && typeof child === 'object' && 'type' in child && child !== parent) link(child as Record<string, unknown>, node);
        }
      }
    };
    link(ast as unknown as Record<string, unknown>, null);
    expect(analyzeTryFinallyCleanups(ast as unknown as AstNode).chains).toHaveLength(1);
  });
});

describe('parser options of JavaScript files', () => {
  it('reads Flow-only syntax in .js/.mjs/.cjs/.jsx, as plain jscodeshift does', () => {
    const flow = [
      '// @flow',
      'type Exact = {| a: number |};',
      'export function f(x: ?string): Exact {',
      '  const r = open();',
      '  try { return { a: (x: any).length }; } finally { r.close(); }',
      '}',
      '',
    ].join('\n');
    for (const file of ['a.js', 'a.mjs', 'a.jsx']) expect(onBabel(flow, file).chains, file).toHaveLength(1);
    expect(onBabel(flow.replace('export ', ''), 'a.cjs').chains).toHaveLength(1);
  });

  it('reads JSX in .js and keeps explicit resource management', () => {
    const code = 'export function f() {\n  using a = open();\n  const b = open();\n  try { return <div>{b.name}</div>; } finally { b.close(); }\n}\n';
    expect(onBabel(code, 'a.js').chains).toHaveLength(1);
  });

  it('keeps `a < b > c` a comparison outside `@flow` files', () => {
    const code = 'export function f(a, b, c) {\n  const r = open();\n  try { return g(a < b, c > 1); } finally { r.close(); }\n}\n';
    expect(() => parseForCleanupAnalysis(code, 'a.js')).not.toThrow();
    expect(onBabel(code, 'a.js').chains).toHaveLength(1);
  });
});

describe('the premise of `using spy = vi.spyOn(…)`', () => {
  it("vitest's spies restore on [Symbol.dispose], exactly as mockRestore() does", () => {
    const target = { greet: () => 'hello' };
    const original = target.greet;
    const spy = vi.spyOn(target, 'greet').mockReturnValue('mocked');
    expect(target.greet()).toBe('mocked');
    const dispose = (spy as unknown as Partial<Disposable>)[Symbol.dispose];
    expect(typeof dispose).toBe('function');
    dispose!.call(spy);
    expect(target.greet).toBe(original);
    expect(target.greet()).toBe('hello');
  });
});

describe('cleanupPolicyFor: the one place the rule, the codemod and their tests build the policy', () => {
  it('defaults allSites to false and tells TypeScript by the extension', () => {
    expect(cleanupPolicyFor({ filePath: 'src/a.ts' })).toEqual({ allSites: false, typescript: true });
    expect(cleanupPolicyFor({ filePath: 'src/a.mjs', allSites: true })).toEqual({ allSites: true, typescript: false });
    expect(cleanupPolicyFor({ filePath: 'view.tsx' }).typescript).toBe(true);
  });

  it('passes comments and collected tries through, and the policy decides as documented', () => {
    const code = 'export function f() {\n  let busy = true;\n  try { work(); } finally { busy = false; }\n}\n';
    const ast = parseForCleanupAnalysis(code, 'a.js') as unknown as AstNode;
    const comments = ast.comments as unknown[];
    expect(cleanupPolicyFor({ filePath: 'a.js', comments }).comments).toBe(comments);
    expect(analyzeTryFinallyCleanups(ast, cleanupPolicyFor({ filePath: 'a.js' })).refusals.map((refusal) => refusal.reason)).toEqual(['lone-side-effect']);
    expect(analyzeTryFinallyCleanups(ast, cleanupPolicyFor({ filePath: 'a.js', allSites: true })).chains).toHaveLength(1);
  });
});
