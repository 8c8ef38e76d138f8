import type tsParserModule from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import { createRequire } from 'node:module';

import type { Linter, Rule } from 'eslint';
import type { API, FileInfo } from 'jscodeshift';

import { BUILT_IN_TARGETS, GlobalOutputTargets, parseTargetPatterns } from '../analysis/global-output.js';
import type { SiteLocation, SiteRefusal, SiteRewriteResult } from '../analysis/site-result.js';
import type { ScopeFix, ScopeFixRefusalReason, ScopeStyle } from '../analysis/stdout-scope-fix.js';
import { scopeFixRefusalMessages, StdoutScopeFixer } from '../analysis/stdout-scope-fix.js';
import noGlobalStdoutRebinding from '../rules/no-global-stdout-rebinding.js';

// The codemod `scope-stdout-rebinding`: a synchronous patch of process-wide output restored
// outside a `finally` gets scoped (try/finally, or a DisposableStack with style `using`), so an
// exception restores it too. The rule `ctx/no-global-stdout-rebinding` decides which patches
// are restored synchronously outside a `finally`: this transform runs that very rule on the
// file and fixes its `restoredOutsideFinally` reports with the printer the rule's suggestions
// use (analysis/stdout-scope-fix.ts), so the two cannot disagree. Every other report of the
// rule is a refusal with its reason. See docs/codemods/scope-stdout-rebinding.md.

export interface TransformOptions {
  /** `finally` (default): wrap the work in try/finally; `using`: register the restore on a DisposableStack. */
  style?: ScopeStyle;
}

export type { SiteLocation };

export type RefusalReason =
  | ScopeFixRefusalReason
  | 'never-restored'
  | 'restored-by-replacement'
  | 'module-scope'
  | 'test-double-in-concurrent-test';

export type Refusal = SiteRefusal<RefusalReason>;

export interface TransformResult extends SiteRewriteResult<RefusalReason> {
  changed: boolean;
}

/** Every refusal id with what it means (the doc lists the same). */
export const refusalReasons: Readonly<Record<RefusalReason, string>> = {
  ...scopeFixRefusalMessages,
  'never-restored': 'the patch is never restored in its function: there is no restore to scope',
  'restored-by-replacement': 'only the replacement puts the original back, when it first runs',
  'module-scope': 'the patch is made at module top level, for the whole process',
  'test-double-in-concurrent-test': 'a test double inside a concurrent test',
};

const REASON_OF_MESSAGE: Readonly<Record<string, RefusalReason>> = {
  activeAcrossAsync: 'spans-async',
  neverRestored: 'never-restored',
  restoredByReplacement: 'restored-by-replacement',
  moduleScope: 'module-scope',
  testDoubleInConcurrentTest: 'test-double-in-concurrent-test',
};

const RULE_ID = 'ctx/no-global-stdout-rebinding';
const TARGETS = new GlobalOutputTargets(parseTargetPatterns(BUILT_IN_TARGETS));
// Edits inside edits (a patch scoped inside another one's work) take one more pass each.
const MAX_PASSES = 10;

// ESLint is a peer dependency: loaded on first use, so that `ctx-codemod` and its other
// transforms still start where it is not installed.
let linterInstance: Linter | undefined;
function getLinter(): Linter {
  linterInstance ??= new (createRequire(import.meta.url)('eslint') as typeof import('eslint')).Linter({ configType: 'flat' });
  return linterInstance;
}

// typescript-eslint's parser loads the TypeScript compiler (most of this module's start-up):
// only a TypeScript file needs it, and the registry imports every transform up front.
let tsParserInstance: typeof tsParserModule | undefined;
function getTsParser(): typeof tsParserModule {
  tsParserInstance ??= createRequire(import.meta.url)('@typescript-eslint/parser') as typeof tsParserModule;
  return tsParserInstance;
}

function lintConfig(filePath: string, sourceType: 'module' | 'commonjs' | 'script'): Linter.Config[] {
  const typescript = /\.[cm]?ts$/iu.test(filePath);
  return [
    {
      // A universal '**/*' pattern does not make a file "matched" in flat config; list the extensions.
      files: ['**/*.{js,jsx,cjs,mjs,ts,tsx,mts,cts}'],
      plugins: { ctx: { rules: { 'no-global-stdout-rebinding': noGlobalStdoutRebinding as unknown as Rule.RuleModule } } },
      // TypeScript through typescript-eslint's parser; JavaScript through ESLint's own (espree),
      // which, unlike typescript-eslint's, accepts sloppy-mode scripts (octal escapes, `with`).
      languageOptions: {
        ...(typescript || /\.tsx$/iu.test(filePath) ? { parser: getTsParser() } : {}),
        parserOptions: { ecmaFeatures: { jsx: !typescript } },
        sourceType,
        ecmaVersion: 'latest',
      },
      rules: { [RULE_ID]: 'error' },
      linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
    },
  ];
}

interface Pass {
  readonly messages: Linter.LintMessage[];
  readonly sourceCode: TSESLint.SourceCode;
}

/** Runs the rule; throws (naming the file and line:column) when the source does not parse. */
function lint(source: string, filePath: string): Pass {
  const commonjs = /\.c[jt]s$/iu.test(filePath);
  let firstError: Linter.LintMessage | undefined;
  for (const sourceType of commonjs ? (['commonjs'] as const) : (['module', 'script'] as const)) {
    // A path that matches `files` whatever it is called: the file name only picks the grammar.
    const linter = getLinter();
    const messages = linter.verify(source, lintConfig(filePath, sourceType), { filename: virtualName(filePath) });
    const fatal = messages.find((message) => message.fatal === true);
    if (fatal === undefined) return { messages, sourceCode: linter.getSourceCode() as unknown as TSESLint.SourceCode };
    firstError ??= fatal;
  }
  throw new Error(`${filePath}:${firstError?.line ?? 0}:${firstError?.column ?? 0}: cannot parse: ${firstError?.message ?? ''}`);
}

function virtualName(filePath: string): string {
  const extension = /\.[cm]?[jt]sx?$/iu.exec(filePath)?.[0] ?? '.js';
  return `file${extension}`;
}

/** The node a message was reported on: the node whose range is exactly the message's. */
function reportedNode(sourceCode: TSESLint.SourceCode, message: Linter.LintMessage): TSESTree.Node | null {
  const start = sourceCode.getIndexFromLoc({ line: message.line, column: message.column - 1 });
  const end =
    message.endLine === undefined || message.endColumn === undefined
      ? null
      : sourceCode.getIndexFromLoc({ line: message.endLine, column: message.endColumn - 1 });
  let node = sourceCode.getNodeByRangeIndex(start) as TSESTree.Node | null;
  while (node !== null && (node.range[0] !== start || (end !== null && node.range[1] < end))) node = node.parent ?? null;
  return node;
}

/** One applied edit, in the coordinates of the text it was applied to, to map later offsets back to the input. */
interface Edit {
  readonly start: number;
  readonly oldEnd: number;
  readonly oldText: string;
  readonly newText: string;
}

/**
 * Scopes every fixable patch of `source`. Pure; picks the grammar from `filePath`'s extension.
 * Throws when the source does not parse.
 */
export function transformSource(source: string, filePath: string, options: TransformOptions = {}): TransformResult {
  const style = options.style ?? 'finally';
  const passes: Edit[][] = [];
  const converted: SiteLocation[] = [];
  let current = source;
  let firstRefusals: Refusal[] | undefined;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { messages, sourceCode } = lint(current, filePath);
    const fixer = new StdoutScopeFixer(sourceCode, TARGETS);
    const reportedStatements = new Set<TSESTree.Node>();
    const fixes: { fix: ScopeFix; at: SiteLocation[] }[] = [];
    const refused: Refusal[] = [];
    firstRefusals ??= refused;
    for (const message of messages) {
      if (message.ruleId !== RULE_ID) continue;
      const at = { line: message.line, column: message.column - 1 };
      const node = reportedNode(sourceCode, message);
      if (node !== null) reportedStatements.add(statementOf(node));
      const messageId = message.messageId ?? '';
      if (messageId !== 'restoredOutsideFinally') {
        refused.push({ ...at, reason: REASON_OF_MESSAGE[messageId] ?? 'never-restored', message: message.message });
        continue;
      }
      const result = node === null ? null : fixer.fixRestoredOutsideFinally(node, style);
      if (result?.kind !== 'fix') {
        const reason = result?.reason ?? 'patch-not-a-statement';
        refused.push({ ...at, reason, message: scopeFixRefusalMessages[reason] });
        continue;
      }
      const same = fixes.find((entry) => entry.fix.range[0] === result.fix.range[0] && entry.fix.range[1] === result.fix.range[1]);
      if (same === undefined) fixes.push({ fix: result.fix, at: [at] });
      else same.at.push(at);
    }
    if (style === 'using') {
      for (const tryStatement of tryStatementsOf(sourceCode)) {
        const fix = fixer.finallyToStack(tryStatement);
        if (fix === null || fix.patchStatements.some((statement) => reportedStatements.has(statement))) continue;
        const { line, column } = fix.patchStatements[0]!.loc.start;
        fixes.push({ fix, at: [{ line, column }] });
      }
    }
    // Fixes that overlap an earlier one (inner patches of an outer one's work) wait for the next pass.
    fixes.sort((a, b) => a.fix.range[0] - b.fix.range[0]);
    const applied: typeof fixes = [];
    for (const entry of fixes) {
      const previous = applied.at(-1);
      if (previous === undefined || previous.fix.range[1] <= entry.fix.range[0]) applied.push(entry);
    }
    if (applied.length === 0) break;
    let output = '';
    let cursor = 0;
    for (const { fix, at } of applied) {
      output += current.slice(cursor, fix.range[0]) + fix.text;
      cursor = fix.range[1];
      converted.push(...at.map((location) => toInput(location, current, passes, source)));
    }
    output += current.slice(cursor);
    passes.push(applied.map(({ fix }) => ({ start: fix.range[0], oldEnd: fix.range[1], oldText: current.slice(...fix.range), newText: fix.text })));
    current = output;
  }
  // The first pass sees the input: a site it refused and no later pass converted stays refused,
  // even when a later pass no longer reports it (another site's `try` may then seem to guard it).
  const isConverted = (site: SiteLocation): boolean => converted.some(({ line, column }) => line === site.line && column === site.column);
  const refused = (firstRefusals ?? []).filter((refusal) => !isConverted(refusal));
  converted.sort((a, b) => a.line - b.line || a.column - b.column);
  return { output: current, changed: current !== source, converted, refused };
}

function statementOf(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.parent &&
    current.parent.type !== AST_NODE_TYPES.BlockStatement &&
    current.parent.type !== AST_NODE_TYPES.SwitchCase &&
    current.parent.type !== AST_NODE_TYPES.Program &&
    current.parent.type !== AST_NODE_TYPES.StaticBlock
  ) {
    current = current.parent;
  }
  return current;
}

function tryStatementsOf(sourceCode: TSESLint.SourceCode): TSESTree.TryStatement[] {
  const found: TSESTree.TryStatement[] = [];
  const visit = (node: TSESTree.Node): void => {
    if (node.type === AST_NODE_TYPES.TryStatement) found.push(node);
    for (const key of sourceCode.visitorKeys[node.type] ?? []) {
      const child: unknown = (node as unknown as Record<string, unknown>)[key];
      for (const candidate of Array.isArray(child) ? child : [child]) {
        if (typeof candidate === 'object' && candidate !== null && typeof (candidate as { type?: unknown }).type === 'string') {
          visit(candidate as TSESTree.Node);
        }
      }
    }
  };
  visit(sourceCode.ast);
  return found;
}

/** A location in the text of a later pass, as a location of the input (edits undone, newest first). */
function toInput(location: SiteLocation, text: string, passes: readonly (readonly Edit[])[], source: string): SiteLocation {
  if (passes.length === 0) return location;
  let offset = offsetOf(text, location);
  for (let pass = passes.length - 1; pass >= 0; pass--) {
    let delta = 0;
    let mapped: number | null = null;
    for (const edit of passes[pass]!) {
      const newStart = edit.start + delta;
      if (offset < newStart) break;
      // Inside new text: the input has no such place; the edit's start stands for it.
      if (offset < newStart + edit.newText.length) {
        mapped = edit.start + offsetInOldText(edit, offset - newStart);
        break;
      }
      delta += edit.newText.length - (edit.oldEnd - edit.start);
    }
    offset = mapped ?? offset - delta;
  }
  return locationOf(source, offset);
}

/**
 * Where a place inside an edit's new text was in its old text. A fix only re-indents the lines
 * it moves and adds lines of its own, so the moved lines are matched in order by their content.
 */
function offsetInOldText(edit: Edit, offset: number): number {
  const newLines = edit.newText.split('\n');
  const oldLines = edit.oldText.split('\n');
  const target = edit.newText.slice(0, offset).split('\n').length - 1;
  let oldAt = 0;
  let oldOffset = 0;
  for (let newAt = 0; newAt <= target && oldAt < oldLines.length; newAt++) {
    const newLine = newLines[newAt]!;
    if (newLine.trimStart() !== oldLines[oldAt]!.trimStart()) continue;
    if (newAt === target) {
      const column = offset - (edit.newText.lastIndexOf('\n', offset - 1) + 1);
      const indentChange = newLine.length - oldLines[oldAt]!.length;
      return oldOffset + Math.max(0, column - indentChange);
    }
    oldOffset += oldLines[oldAt]!.length + 1;
    oldAt++;
  }
  return 0;
}

function offsetOf(text: string, { line, column }: SiteLocation): number {
  let offset = 0;
  for (let at = 1; at < line; at++) offset = text.indexOf('\n', offset) + 1;
  return offset + column;
}

function locationOf(text: string, offset: number): SiteLocation {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}

/** The jscodeshift entry point: `jscodeshift -t dist/codemods/scope-stdout-rebinding.js [--style=using]`. */
export default function transform(file: FileInfo, _api: API, options?: Record<string, unknown>): string | undefined {
  const style = options?.['style'];
  if (style !== undefined && style !== 'finally' && style !== 'using') {
    throw new Error(`scope-stdout-rebinding: --style must be "finally" or "using", not ${JSON.stringify(style)}`);
  }
  const result = transformSource(file.source, file.path, style === undefined ? {} : { style });
  return result.changed ? result.output : undefined;
}
