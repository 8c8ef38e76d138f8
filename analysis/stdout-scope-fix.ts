/**
 * The fix of a synchronous patch of process-wide output whose restore is not in a `finally`
 * (what `ctx/no-global-stdout-rebinding` reports as `restoredOutsideFinally`): scope the patch,
 * so that an exception restores it too. Shared by the rule (its suggestions) and the codemod
 * `scope-stdout-rebinding`, so both write the same text. See docs/codemods/scope-stdout-rebinding.md.
 *
 * The rule decides *whether* a patch is restored synchronously outside a `finally`; this file
 * finds *which* statements are the patch and its restore and whether moving them is safe, and
 * prints the fix in one of two styles:
 * - `finally`: `patch; try { work } finally { restore }`;
 * - `using`: `patch; using stack = new DisposableStack(); stack.defer(() => { restore }); work`
 *   (in a new block when statements follow the restore, so that it runs where it ran before).
 * With style `using` it also turns a patch already restored in a `finally` into the stack form.
 *
 * It prints by splicing text: the moved statements are copied byte for byte and only the
 * indentation of their lines changes; a line that starts inside a string, template literal,
 * block comment or JSX text keeps its leading whitespace, since that is part of a value.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { GlobalPath } from './global-output.js';
import { GlobalOutputTargets, GlobalPathResolver, pathsUnify } from './global-output.js';
import { installsNewImplementation, RebindingFinder, restoreCovers } from './global-output-rebinding.js';
import { freeStackName } from './stack-name.js';
import { skipTypeWrappers, walkNodes } from './ast-children.js';

export type ScopeStyle = 'finally' | 'using';

/** Why a reported patch is left alone; documented in docs/codemods/scope-stdout-rebinding.md. */
export type ScopeFixRefusalReason =
  | 'patch-not-a-statement'
  | 'spans-async'
  | 'restore-not-in-same-block'
  | 'restores-apart'
  | 'exit-before-restore'
  | 'rebound-before-restore'
  | 'declared-in-work-used-after'
  | 'nothing-between'
  | 'shares-a-line';

export const scopeFixRefusalMessages: Readonly<Record<ScopeFixRefusalReason, string>> = {
  'patch-not-a-statement': 'the patch is part of a larger expression or statement, so there is no place to start the scope',
  'spans-async':
    'the patch stays active across an `await`, a `yield` or a callback that runs later: other work runs meanwhile, and no scope makes that safe',
  'restore-not-in-same-block': 'the restore is not a later statement of the same block as the patch (a helper, a branch, another function)',
  'restores-apart': 'the restores of patches made together are not next to each other',
  'exit-before-restore': 'a `return`, `break` or `continue` leaves before the restore: scoping would add a restore on that path too',
  'rebound-before-restore': 'the target is rebound again between the patch and its restore',
  'declared-in-work-used-after':
    'a declaration between the patch and the restore is used after the restore, and is not a `let` / `const` of plain names that could be declared before the new scope',
  'nothing-between': 'nothing runs between the patch and its restore',
  'shares-a-line': 'the patch or the restore shares a line with other code',
};

export interface ScopeFix {
  /** Replace this source range by `text`. */
  readonly range: [number, number];
  readonly text: string;
  /** The statements of the patches this fix scopes (several patches made together share one fix). */
  readonly patchStatements: readonly TSESTree.Statement[];
}

export type ScopeFixResult =
  | { readonly kind: 'fix'; readonly fix: ScopeFix }
  | { readonly kind: 'refusal'; readonly reason: ScopeFixRefusalReason };

type StatementList = readonly TSESTree.Statement[];

/** What `#hoist` answers: `let` declarations to write before the new scope, and the text they replace. */
type Hoisting = { readonly declarations: readonly string[]; readonly deletions: readonly (readonly [number, number])[] } | null;

/** Where the moved lines start and end, and the file's style there. */
interface Layout {
  readonly workStart: number;
  readonly restoreStart: number;
  readonly restoreEnd: number;
  readonly indent: string;
  readonly unit: string;
  readonly newline: string;
  readonly semicolon: string;
}

/** A fix found but not yet printed: everything but the style. */
interface ScopePlan {
  readonly kind: 'plan';
  readonly group: readonly PatchStatement[];
  readonly work: StatementList;
  readonly workRange: [number, number];
  readonly lastPatch: TSESTree.Statement;
  readonly layout: Layout;
  readonly blockEndsAfterRestores: boolean;
  /** Computed for the first style that opens a new scope. */
  hoisting: Hoisting | undefined;
}

/** What puts a patch back: a rebinding of a covering path, or a call of the restorer it returned. */
type PatchShape =
  | { readonly kind: 'rebinding'; readonly paths: readonly GlobalPath[] }
  | { readonly kind: 'primitive'; readonly restorer: string };

interface PatchStatement {
  readonly statement: TSESTree.Statement;
  readonly shape: PatchShape;
}

/**
 * Finds and prints fixes for one file. `targets` must be the rule's targets (its
 * `additionalTargets` included), so that both recognise the same restores.
 */
export class StdoutScopeFixer {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #finder: RebindingFinder;
  readonly #resolver: GlobalPathResolver;
  #lockedLineStarts: Set<number> | null = null;

  constructor(sourceCode: Readonly<TSESLint.SourceCode>, targets: GlobalOutputTargets) {
    this.#sourceCode = sourceCode;
    this.#resolver = new GlobalPathResolver(sourceCode, targets.rootNames());
    this.#finder = new RebindingFinder(this.#resolver, targets, false);
  }

  /**
   * The fix of the patch reported at `reportNode` (the rule's report node of a
   * `restoredOutsideFinally` verdict), in `style`, or why there is none.
   */
  fixRestoredOutsideFinally(reportNode: TSESTree.Node, style: ScopeStyle): ScopeFixResult {
    // The rule asks for both styles: what the patch and its restore are is found once.
    let plan = this.#plans.get(reportNode);
    if (plan === undefined) {
      plan = this.#planScope(reportNode);
      this.#plans.set(reportNode, plan);
    }
    return plan.kind === 'refusal' ? plan : this.#printScope(plan, style);
  }

  readonly #plans = new Map<TSESTree.Node, ScopePlan | { readonly kind: 'refusal'; readonly reason: ScopeFixRefusalReason }>();

  /** The style-independent part of a fix: the patches, the work, the restores and their layout. */
  #planScope(reportNode: TSESTree.Node): ScopePlan | { readonly kind: 'refusal'; readonly reason: ScopeFixRefusalReason } {
    const located = this.#patchStatementOf(reportNode);
    if (located === null) return { kind: 'refusal', reason: 'patch-not-a-statement' };
    const { list, index } = located;
    const own = this.#patchShapeOf(list[index]!);
    if (own === null) return { kind: 'refusal', reason: 'patch-not-a-statement' };

    // Patches made together (`console.log = f; console.error = f;`, with the saves between
    // them) are scoped together: the scope starts after the last of them.
    let runStart = index;
    while (runStart > 0 && this.#isPatchRunMember(list[runStart - 1]!)) runStart--;
    let runEnd = index;
    while (runEnd + 1 < list.length && this.#isPatchRunMember(list[runEnd + 1]!)) runEnd++;
    const ownRestore = this.#firstRestoreAfter(list, runEnd + 1, own.shape);
    if (ownRestore === -1) return { kind: 'refusal', reason: 'restore-not-in-same-block' };

    const group: PatchStatement[] = [];
    const restoreIndexes = new Set<number>();
    for (let at = runStart; at <= runEnd; at++) {
      // Only the reported statement may be a primitive's call: a run's `const x = f()` is no patch.
      const patch = at === index ? own : this.#patchShapeOf(list[at]!);
      if (patch === null || (at !== index && patch.shape.kind !== 'rebinding')) continue;
      const restoreAt = this.#firstRestoreAfter(list, runEnd + 1, patch.shape);
      if (restoreAt === -1) continue;
      group.push(patch);
      restoreIndexes.add(restoreAt);
    }
    const firstRestore = Math.min(...restoreIndexes);
    const lastRestore = Math.max(...restoreIndexes);
    if (lastRestore - firstRestore + 1 !== restoreIndexes.size) return { kind: 'refusal', reason: 'restores-apart' };
    if (firstRestore === runEnd + 1) return { kind: 'refusal', reason: 'nothing-between' };

    const work = list.slice(runEnd + 1, firstRestore);
    const restores = list.slice(firstRestore, lastRestore + 1);
    const workRange: [number, number] = [work[0]!.range[0], work.at(-1)!.range[1]];
    // The rule lets a serial test wait while patched; scoping still refuses any wait in between.
    if (work.some((statement) => this.#waits(statement))) return { kind: 'refusal', reason: 'spans-async' };
    if (work.some((statement) => this.#leavesRange(statement, workRange))) return { kind: 'refusal', reason: 'exit-before-restore' };
    if (work.some((statement) => this.#rebinds(statement, group))) return { kind: 'refusal', reason: 'rebound-before-restore' };

    const lastPatch = list[runEnd]!;
    const layout = this.#layout(lastPatch, restores);
    if (layout === null) return { kind: 'refusal', reason: 'shares-a-line' };
    const blockEndsAfterRestores = lastRestore === list.length - 1 && isBlockBody(lastPatch);
    return { kind: 'plan', group, work, workRange, lastPatch, layout, blockEndsAfterRestores, hoisting: undefined };
  }

  #printScope(plan: ScopePlan, style: ScopeStyle): ScopeFixResult {
    const { group, work, workRange, lastPatch, layout, blockEndsAfterRestores } = plan;
    const needsNewScope = style === 'finally' || !blockEndsAfterRestores;
    // `const logger = create(); …restore…; logger.log()`: the new scope would hide `logger`, so it
    // is declared with `let` before the scope and assigned where it was declared.
    if (needsNewScope && plan.hoisting === undefined) plan.hoisting = this.#hoist(work.filter((statement) => this.#declarationUsedOutside(statement, workRange)));
    const hoisting = needsNewScope ? plan.hoisting : { declarations: [], deletions: [] };
    if (hoisting === null || hoisting === undefined) return { kind: 'refusal', reason: 'declared-in-work-used-after' };

    const { indent, unit, newline, semicolon } = layout;
    let workText = this.#text(layout.workStart, layout.restoreStart);
    for (const [start, end] of [...hoisting.deletions].sort((a, b) => b[0] - a[0])) {
      workText = workText.slice(0, start - layout.workStart) + workText.slice(end - layout.workStart);
    }
    const hoisted = hoisting.declarations.map((names) => `${indent}let ${names}${semicolon}${newline}`).join('');
    // Blank lines that set the work apart stay outside the new scope.
    const leadingBlank = /^(?:[ \t]*\r?\n)*/u.exec(workText)![0];
    const trailingBlank = /\n((?:[ \t]*\r?\n)*)$/u.exec(workText)?.[1] ?? '';
    const scopedWork = workText.slice(leadingBlank.length, workText.length - trailingBlank.length);
    const scopedWorkAt = layout.workStart + leadingBlank.length;
    const afterScope = trailingBlank.replace(/[ \t]+/gu, '');
    const restoreText = this.#text(layout.restoreStart, layout.restoreEnd);
    let text: string;
    if (style === 'finally') {
      text =
        `${leadingBlank}${hoisted}${indent}try {${newline}${this.#reindent(scopedWork, scopedWorkAt, unit)}` +
        `${indent}} finally {${newline}${this.#reindent(restoreText, layout.restoreStart, unit)}${newline}${indent}}${afterScope.replace(/\r?\n$/u, '')}`;
    } else {
      const stack = this.#freeStackName(lastPatch);
      const inner = blockEndsAfterRestores ? indent : indent + unit;
      const registration =
        `${inner}using ${stack} = new DisposableStack()${semicolon}${newline}` +
        `${inner}${stack}.defer(() => {${newline}${this.#reindent(restoreText, layout.restoreStart, inner.slice(indent.length) + unit)}${newline}${inner}})${semicolon}${newline}`;
      text = blockEndsAfterRestores
        ? `${registration}${workText.replace(/(?:\r?\n)$/u, '')}`
        : `${leadingBlank}${hoisted}${indent}{${newline}${registration}${this.#reindent(scopedWork, scopedWorkAt, unit)}${indent}}${afterScope.replace(/\r?\n$/u, '')}`;
    }
    return {
      kind: 'fix',
      fix: { range: [layout.workStart, layout.restoreEnd], text, patchStatements: group.map(({ statement }) => statement) },
    };
  }

  /**
   * With style `using`: a patch already restored in the `finally` of the `try` right after it
   * (`patch; try { work } finally { restore }`), rewritten to the stack form. `null` when
   * `tryStatement` is not that shape. The rule does not report these (they are safe); the
   * caller checks that it reports nothing on the patches either.
   */
  finallyToStack(tryStatement: TSESTree.TryStatement): ScopeFix | null {
    if (tryStatement.handler !== null || tryStatement.finalizer === null) return null;
    const list = statementListOf(tryStatement);
    if (list === null) return null;
    const index = list.indexOf(tryStatement);
    let runStart = index;
    while (runStart > 0 && this.#isPatchRunMember(list[runStart - 1]!)) runStart--;
    const patches = list.slice(runStart, index).flatMap((statement) => {
      const patch = this.#patchShapeOf(statement);
      return patch === null ? [] : [patch];
    });
    const restores = tryStatement.finalizer.body;
    const work = tryStatement.block.body;
    if (patches.length === 0 || restores.length === 0 || work.length === 0) return null;
    // Every statement of the `finally` restores one of the patches, and every patch is restored there.
    if (!restores.every((restore) => patches.some((patch) => this.#restores(restore, patch.shape)))) return null;
    if (!patches.every((patch) => restores.some((restore) => this.#restores(restore, patch.shape)))) return null;
    if (work.some((statement) => this.#rebinds(statement, patches))) return null;

    const source = this.#sourceCode.text;
    const lastPatch = list[index - 1]!;
    const tryStart = lineStartOf(source, tryStatement.range[0]);
    const tryEnd = tryStatement.range[1];
    if (source.slice(tryStart, tryStatement.range[0]).trim() !== '' || !endsItsLine(source, tryEnd)) return null;
    const firstRestoreLine = lineStartOf(source, restores[0]!.range[0]);
    const lastRestoreEnd = lineContentEnd(source, restores.at(-1)!.range[1]);
    const firstWorkLine = lineStartOf(source, work[0]!.range[0]);
    const lastWorkEnd = lineContentEnd(source, work.at(-1)!.range[1]);
    // The braces of the `try` and `finally` blocks are on lines of their own.
    if (
      source.slice(tryStatement.block.range[0] + 1, firstWorkLine).trim() !== '' ||
      source.slice(lastWorkEnd, tryStatement.block.range[1] - 1).trim() !== '' ||
      source.slice(tryStatement.finalizer.range[0] + 1, firstRestoreLine).trim() !== '' ||
      source.slice(lastRestoreEnd, tryStatement.finalizer.range[1] - 1).trim() !== '' ||
      source.slice(firstRestoreLine, restores[0]!.range[0]).trim() !== '' ||
      source.slice(firstWorkLine, work[0]!.range[0]).trim() !== ''
    ) {
      return null;
    }
    const indent = source.slice(tryStart, tryStatement.range[0]);
    const unit = indentUnitOf(source, tryStatement.block, source.slice(firstWorkLine, work[0]!.range[0]));
    if (unit === null) return null;
    const newline = source.includes('\r\n') ? '\r\n' : '\n';
    const semicolon = source.slice(lastPatch.range[0], lastPatch.range[1]).trimEnd().endsWith(';') ? ';' : '';
    const blockEnds = index === list.length - 1 && isBlockBody(tryStatement);
    const keepsBlock = !blockEnds || work.some((statement) => isLexicalDeclaration(statement));
    const stack = this.#freeStackName(tryStatement);
    const inner = keepsBlock ? indent + unit : indent;
    const restoreText = this.#text(firstRestoreLine, lastRestoreEnd);
    const workText = this.#text(firstWorkLine, lastWorkEnd);
    const registration =
      `${inner}using ${stack} = new DisposableStack()${semicolon}${newline}` +
      `${inner}${stack}.defer(() => {${newline}${keepsBlock ? this.#reindent(restoreText, firstRestoreLine, unit) : restoreText}${newline}${inner}})${semicolon}${newline}`;
    const text = keepsBlock
      ? `${indent}{${newline}${registration}${workText}${newline}${indent}}`
      : `${registration}${this.#dedent(workText, firstWorkLine, unit)}`;
    return { range: [tryStart, tryEnd], text, patchStatements: patches.map(({ statement }) => statement) };
  }

  // -------------------------------------------------------------------------------------------
  // Patches and restores

  /** The statement whose whole expression is the patch at `reportNode`, in its statement list. */
  #patchStatementOf(reportNode: TSESTree.Node): { list: StatementList; index: number } | null {
    let current: TSESTree.Node = reportNode;
    while (current.parent && !isStatement(current)) current = current.parent;
    if (!isStatement(current)) return null;
    const list = statementListOf(current);
    if (list === null) return null;
    return { list, index: list.indexOf(current) };
  }

  /** A statement that patches a target as a whole: `target = v;`, `Object.defineProperty(…);`, `const restore = mute();`. */
  #patchShapeOf(statement: TSESTree.Statement): PatchStatement | null {
    if (statement.type === AST_NODE_TYPES.ExpressionStatement) {
      const sites = this.#sitesOf(statement.expression);
      if (sites.length === 0) return null;
      return { statement, shape: { kind: 'rebinding', paths: sites.map((site) => site.path) } };
    }
    if (statement.type === AST_NODE_TYPES.VariableDeclaration && (statement.kind === 'const' || statement.kind === 'let')) {
      const [declarator, ...others] = statement.declarations;
      if (declarator === undefined || others.length > 0 || declarator.id.type !== AST_NODE_TYPES.Identifier) return null;
      const init = declarator.init === null ? null : skipTypeWrappers(declarator.init);
      if (init?.type !== AST_NODE_TYPES.CallExpression) return null;
      return { statement, shape: { kind: 'primitive', restorer: declarator.id.name } };
    }
    return null;
  }

  /** The rebindings of targets that `expression` makes at its top (not inside nested functions). */
  #sitesOf(rawExpression: TSESTree.Node): ReturnType<RebindingFinder['fromCall']> {
    const expression = skipTypeWrappers(rawExpression);
    if (expression.type === AST_NODE_TYPES.AssignmentExpression) return this.#finder.fromAssignment(expression);
    if (expression.type === AST_NODE_TYPES.CallExpression) return this.#finder.fromCall(expression);
    if (expression.type === AST_NODE_TYPES.UnaryExpression) return this.#finder.fromDelete(expression);
    return [];
  }

  /** Statements that may sit among patches made together: other patches and saves of originals. */
  #isPatchRunMember(statement: TSESTree.Statement): boolean {
    if (statement.type === AST_NODE_TYPES.ExpressionStatement) {
      // A value read from somewhere (`console.log = original`) is taken for a restore, not a patch.
      return this.#sitesOf(statement.expression).some(
        (site) => installsNewImplementation(site) || site.value === null || !isPlainRead(site.value),
      );
    }
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) return false;
    // `const original = console.log` (or `.bind(console)`): a read that cannot throw or patch.
    return statement.declarations.every((declarator) => declarator.init !== null && isPlainRead(declarator.init));
  }

  #firstRestoreAfter(list: StatementList, from: number, shape: PatchShape): number {
    for (let at = from; at < list.length; at++) if (this.#restores(list[at]!, shape)) return at;
    return -1;
  }

  #restores(statement: TSESTree.Statement, shape: PatchShape): boolean {
    if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
    const expression = skipTypeWrappers(statement.expression);
    if (shape.kind === 'primitive') {
      if (expression.type !== AST_NODE_TYPES.CallExpression) return false;
      const callee = skipTypeWrappers(expression.callee);
      const name = callee.type === AST_NODE_TYPES.MemberExpression ? skipTypeWrappers(callee.object) : callee;
      return name.type === AST_NODE_TYPES.Identifier && name.name === shape.restorer;
    }
    return this.#sitesOf(expression).some(
      (site) => !installsNewImplementation(site) && shape.paths.some((path) => restoreCovers(site.path, path)),
    );
  }

  /** True when `statement` (outside nested functions) rebinds a path of one of the patches. */
  #rebinds(statement: TSESTree.Statement, patches: readonly PatchStatement[]): boolean {
    const paths = patches.flatMap(({ shape }) => (shape.kind === 'rebinding' ? shape.paths : []));
    let found = false;
    this.#walk(statement, (node) => {
      if (found || isFunctionLike(node)) return false;
      if (
        node.type === AST_NODE_TYPES.AssignmentExpression ||
        node.type === AST_NODE_TYPES.CallExpression ||
        node.type === AST_NODE_TYPES.UnaryExpression
      ) {
        found = this.#sitesOf(node).some((site) => paths.some((path) => pathsUnify(site.path, path)));
      }
      return !found;
    });
    return found;
  }

  /** An `await`, a `yield` or a `for await` (not inside nested functions). */
  #waits(statement: TSESTree.Statement): boolean {
    let waits = false;
    this.#walk(statement, (node) => {
      if (waits || isFunctionLike(node)) return false;
      waits =
        node.type === AST_NODE_TYPES.AwaitExpression ||
        node.type === AST_NODE_TYPES.YieldExpression ||
        (node.type === AST_NODE_TYPES.ForOfStatement && node.await) ||
        (node.type === AST_NODE_TYPES.VariableDeclaration && node.kind === 'await using');
      return !waits;
    });
    return waits;
  }

  /** A `return`, or a `break` / `continue` whose target is outside `range` (not inside nested functions). */
  #leavesRange(statement: TSESTree.Statement, range: [number, number]): boolean {
    let leaves = false;
    this.#walk(statement, (node) => {
      if (leaves || isFunctionLike(node)) return false;
      if (node.type === AST_NODE_TYPES.ReturnStatement) leaves = true;
      else if (node.type === AST_NODE_TYPES.BreakStatement || node.type === AST_NODE_TYPES.ContinueStatement) {
        const target = jumpTarget(node);
        leaves = target === null || target.range[0] < range[0] || target.range[1] > range[1];
      }
      return !leaves;
    });
    return leaves;
  }

  /**
   * How to move the bindings of `statements` out of a new scope: the names (with their type
   * annotations) to declare with `let` before it, and the source ranges to delete (the
   * `const` / `let` keyword, the annotations) so that each statement becomes an assignment;
   * `null` when a statement is not a `let` / `const` of plain names, each with an initialiser,
   * on one line up to its first name, without comments.
   */
  #hoist(statements: readonly TSESTree.Statement[]): { declarations: string[]; deletions: [number, number][] } | null {
    const source = this.#sourceCode.text;
    const declarations: string[] = [];
    const deletions: [number, number][] = [];
    for (const statement of statements) {
      if (statement.type !== AST_NODE_TYPES.VariableDeclaration || (statement.kind !== 'let' && statement.kind !== 'const')) return null;
      if (statement.declare || this.#sourceCode.getCommentsInside(statement).length > 0) return null;
      const keyword: [number, number] = [statement.range[0], statement.declarations[0]!.range[0]];
      if (source.slice(...keyword).includes('\n')) return null;
      deletions.push(keyword);
      const names: string[] = [];
      for (const declarator of statement.declarations) {
        if (declarator.id.type !== AST_NODE_TYPES.Identifier || declarator.init === null || declarator.definite) return null;
        const annotation = declarator.id.typeAnnotation;
        if (annotation !== undefined) {
          if (source.slice(...annotation.range).includes('\n')) return null;
          deletions.push(annotation.range);
        }
        names.push(source.slice(declarator.id.range[0], declarator.id.range[1]));
      }
      declarations.push(names.join(', '));
    }
    return { declarations, deletions };
  }

  /** A block-scoped name declared by `statement` that code outside `range` refers to. */
  #declarationUsedOutside(statement: TSESTree.Statement, range: [number, number]): boolean {
    if (statement.type === AST_NODE_TYPES.VariableDeclaration && statement.kind === 'var') return false;
    const declared = this.#sourceCode.getDeclaredVariables(statement);
    return declared.some((variable) =>
      variable.references.some(({ identifier }) => identifier.range[0] < range[0] || identifier.range[1] > range[1]),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Text

  /** Where the moved lines start and end, and the file's style there; `null` when statements share lines. */
  #layout(
    lastPatch: TSESTree.Statement,
    restores: StatementList,
  ): Layout | null {
    const source = this.#sourceCode.text;
    if (!endsItsLine(source, lastPatch.range[1])) return null;
    const firstRestore = restores[0]!;
    const restoreStart = lineStartOf(source, firstRestore.range[0]);
    if (source.slice(restoreStart, firstRestore.range[0]).trim() !== '') return null;
    const lastRestoreEnd = restores.at(-1)!.range[1];
    if (!endsItsLine(source, lastRestoreEnd)) return null;
    const patchLineStart = lineStartOf(source, lastPatch.range[0]);
    const indent = source.slice(patchLineStart, lastPatch.range[0]);
    if (indent.trim() !== '') return null;
    const unit = indentUnitOf(source, lastPatch.parent, indent);
    if (unit === null) return null;
    const workStart = source.indexOf('\n', lastPatch.range[1]) + 1;
    return {
      workStart,
      restoreStart,
      restoreEnd: lineContentEnd(source, lastRestoreEnd),
      indent,
      unit,
      newline: source.includes('\r\n') ? '\r\n' : '\n',
      semicolon: source.slice(lastPatch.range[0], lastPatch.range[1]).trimEnd().endsWith(';') ? ';' : '',
    };
  }

  #text(start: number, end: number): string {
    return this.#sourceCode.text.slice(start, end);
  }

  /** Adds `unit` before every line of `text` (which starts at source offset `at`, a line start) but blank and locked ones. */
  #reindent(text: string, at: number, unit: string): string {
    return this.#mapLines(text, at, (line) => unit + line);
  }

  #dedent(text: string, at: number, unit: string): string {
    return this.#mapLines(text, at, (line) => (line.startsWith(unit) ? line.slice(unit.length) : line));
  }

  /**
   * Changes the lines of `text`, a copy of the source from offset `at` (a line start) in which
   * deletions may have shortened lines but never joined them: lines are matched to the source's
   * by number.
   */
  #mapLines(text: string, at: number, change: (line: string) => string): string {
    const locked = this.#lockedLines();
    const source = this.#sourceCode.text;
    let start = at;
    return text
      .split('\n')
      .map((line) => {
        const lineStart = start;
        start = source.indexOf('\n', start) + 1;
        return line.trim() === '' || locked.has(lineStart) ? line : change(line);
      })
      .join('\n');
  }

  /** Offsets of line starts inside a string, template literal, block comment or JSX text. */
  #lockedLines(): Set<number> {
    if (this.#lockedLineStarts !== null) return this.#lockedLineStarts;
    const source = this.#sourceCode.text;
    const locked = new Set<number>();
    const lock = (start: number, end: number): void => {
      for (let at = source.indexOf('\n', start); at !== -1 && at < end - 1; at = source.indexOf('\n', at + 1)) locked.add(at + 1);
    };
    for (const token of this.#sourceCode.ast.tokens) {
      if (token.type === 'Template' || token.type === 'String' || token.type === 'JSXText') lock(token.range[0], token.range[1]);
    }
    for (const comment of this.#sourceCode.getAllComments()) if (comment.type === 'Block') lock(comment.range[0], comment.range[1]);
    this.#lockedLineStarts = locked;
    return locked;
  }

  /** `stack`, or the first of `stack2`, `stack3`… that the enclosing function does not mention. */
  #freeStackName(near: TSESTree.Node): string {
    let owner: TSESTree.Node = near;
    while (owner.parent && !isFunctionLike(owner)) owner = owner.parent;
    return freeStackName(this.#text(owner.range[0], owner.range[1]));
  }

  /** Visits `node` and its descendants while `visit` returns true for the parent. */
  #walk(node: TSESTree.Node, visit: (node: TSESTree.Node) => boolean): void {
    walkNodes(node, this.#sourceCode.visitorKeys, visit);
  }
}

function isStatement(node: TSESTree.Node): node is TSESTree.Statement {
  return statementListOf(node)?.includes(node as TSESTree.Statement) === true;
}

function statementListOf(statement: TSESTree.Node): StatementList | null {
  const parent = statement.parent;
  if (parent === undefined) return null;
  if (parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.StaticBlock) return parent.body;
  if (parent.type === AST_NODE_TYPES.SwitchCase) return parent.consequent;
  return null;
}

/** True when the statement list holding `statement` is a block's (so a `using` there ends with it). */
function isBlockBody(statement: TSESTree.Node): boolean {
  return statement.parent?.type === AST_NODE_TYPES.BlockStatement;
}

function isFunctionLike(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node.type === AST_NODE_TYPES.ClassBody
  );
}

function isLexicalDeclaration(statement: TSESTree.Statement): boolean {
  return (
    (statement.type === AST_NODE_TYPES.VariableDeclaration && statement.kind !== 'var') ||
    statement.type === AST_NODE_TYPES.ClassDeclaration ||
    statement.type === AST_NODE_TYPES.FunctionDeclaration ||
    statement.type === AST_NODE_TYPES.TSTypeAliasDeclaration ||
    statement.type === AST_NODE_TYPES.TSInterfaceDeclaration ||
    statement.type === AST_NODE_TYPES.TSEnumDeclaration
  );
}

/** `a`, `a.b.c`, `a.b.bind(a)`: reads that cannot throw on the targets' objects nor patch anything. */
function isPlainRead(rawNode: TSESTree.Node): boolean {
  const node = skipTypeWrappers(rawNode);
  if (node.type === AST_NODE_TYPES.Identifier) return true;
  if (node.type === AST_NODE_TYPES.MemberExpression) return !node.computed && isPlainRead(node.object);
  if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression) {
    const callee = node.callee;
    return !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier && callee.property.name === 'bind' && isPlainRead(callee.object);
  }
  return false;
}

/** The loop, switch or labelled statement a `break` / `continue` leaves; `null` when not found. */
function jumpTarget(jump: TSESTree.BreakStatement | TSESTree.ContinueStatement): TSESTree.Node | null {
  for (let current: TSESTree.Node | undefined = jump.parent; current; current = current.parent) {
    if (isFunctionLike(current)) return null;
    if (jump.label !== null) {
      if (current.type === AST_NODE_TYPES.LabeledStatement && current.label.name === jump.label.name) return current;
      continue;
    }
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return current;
      case AST_NODE_TYPES.SwitchStatement:
        if (jump.type === AST_NODE_TYPES.BreakStatement) return current;
        break;
      default:
        break;
    }
  }
  return null;
}

function lineStartOf(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** True when only spaces and comments follow `offset` on its line. */
function endsItsLine(source: string, offset: number): boolean {
  const end = lineContentEnd(source, offset);
  return end !== -1;
}

/**
 * The end of `offset`'s line content, trailing comment included (before the line break), or -1
 * when code follows on that line.
 */
function lineContentEnd(source: string, offset: number): number {
  const newlineAt = source.indexOf('\n', offset);
  const lineEnd = newlineAt === -1 ? source.length : newlineAt;
  const rest = source.slice(offset, lineEnd).replace(/\r$/u, '');
  const trimmed = rest.trim();
  if (trimmed !== '' && !trimmed.startsWith('//') && !/^\/\*.*\*\/$/u.test(trimmed)) return -1;
  return offset + rest.trimEnd().length;
}

/**
 * One level of indentation where `statement` sits: its indentation minus that of the line
 * holding its block's opening brace; `null` when that does not make sense.
 */
function indentUnitOf(source: string, block: TSESTree.Node | undefined, indent: string): string | null {
  if (block === undefined) return null;
  const outerStart = lineStartOf(source, block.range[0]);
  const outer = /^[ \t]*/u.exec(source.slice(outerStart))![0];
  if (indent.startsWith(outer) && indent.length > outer.length) return indent.slice(outer.length);
  return indent.includes('\t') ? '\t' : '  ';
}
