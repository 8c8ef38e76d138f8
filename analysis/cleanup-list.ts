import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { CallGraph } from './call-graph.js';
import { getCallGraph } from './call-graph.js';
import { isFunctionNode, memberName } from './instance-identity.js';
import type { StackSplitRefusalReason } from './stack-split.js';
import { freeStackName } from './stack-name.js';
import { childNodes } from './ast-children.js';

/**
 * The hand-rolled cleanup list, the pre-`using` idiom of an `ExitStack`, and its rewrite into one
 * `DisposableStack` / `AsyncDisposableStack` per scope (the `split-nested-stacks` codemod):
 *
 *   const cleanups = [];                          using stack = new DisposableStack();
 *   try {                                         const a = open();
 *     const a = open();                    →      stack.defer(() => a.close());
 *     cleanups.push(() => a.close());             work(a);
 *     work(a);
 *   } finally {
 *     for (const c of cleanups.reverse()) c();
 *   }
 *
 * A scope is a `try` whose `finally` starts by running the list last-in-first-out, one cleanup
 * after another (`for…of` over `reverse()`, `while (list.length) list.pop()()`, a reverse index
 * loop; `await` of each cleanup makes it an `AsyncDisposableStack`). A list run by nested
 * `try … finally` blocks is split: each scope gets its own stack and the registrations made in
 * it. Everything this file cannot prove is refused with a reason (see stackSplitRefusalReasons).
 */

/** One replacement; a function text is indented for where it lands (see renderCleanupListEdits). */
export interface CleanupListEdit {
  readonly range: readonly [number, number];
  readonly text: string | ((adjust: (indent: string) => string) => string);
}

/** Lines strictly inside `(start, end)` move by `delta` indentation units of `unit`. */
export interface IndentRegion {
  readonly start: number;
  readonly end: number;
  readonly delta: 1 | -1;
  readonly unit: string;
}

export interface CleanupListRewrite {
  readonly edits: readonly CleanupListEdit[];
  readonly regions: readonly IndentRegion[];
}

export type CleanupListPlan =
  | { readonly fixable: true; readonly site: TSESTree.VariableDeclarator; readonly rewrite: CleanupListRewrite }
  | { readonly fixable: false; readonly site: TSESTree.VariableDeclarator; readonly reason: StackSplitRefusalReason };

class Refusal extends Error {
  constructor(readonly reason: StackSplitRefusalReason) {
    super(reason);
  }
}

type Order = 'lifo' | 'fifo';

interface RunShape {
  order: Order;
  awaited: boolean;
  /** The run empties the list (pop until empty, or down to a mark): a later run finds none of these. */
  clears: boolean;
  /** `list[i]()`: each cleanup is called with the list as `this`. */
  indexed: boolean;
  /** `while (list.length > mark)`: the name of the mark. */
  mark?: string;
}

interface Scope {
  readonly tryStatement: TSESTree.TryStatement;
  readonly finalizer: TSESTree.BlockStatement;
  readonly run: RunShape;
  /** The run and the `list.length = 0` after it. */
  readonly runStatements: TSESTree.Statement[];
  /** `const mark = list.length;` just before the try. */
  markStatement?: TSESTree.VariableDeclaration;
  readonly pushes: Push[];
  parent?: Scope;
}

interface Push {
  readonly call: TSESTree.CallExpression;
  readonly callee: TSESTree.MemberExpression;
  /** It may run more than once in its scope (a loop, an inline callback). */
  readonly repeats: boolean;
}

type ListVariable = TSESLint.Scope.Variable;

const STATEMENT_LIST_PARENTS = new Set<string>([AST_NODE_TYPES.BlockStatement, AST_NODE_TYPES.Program, AST_NODE_TYPES.StaticBlock, AST_NODE_TYPES.SwitchCase]);

/** Every cleanup list of the file, each with its rewrite or the reason it is left alone. */
export function planCleanupLists(sourceCode: Readonly<TSESLint.SourceCode>): CleanupListPlan[] {
  const candidates = findCandidates(sourceCode);
  if (candidates.length === 0) return [];
  const planner = new ListPlanner(sourceCode, getCallGraph(sourceCode));
  return candidates.map(({ variable, declarator }) => {
    try {
      return { fixable: true, site: declarator, rewrite: planner.plan(variable, declarator) };
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      return { fixable: false, site: declarator, reason: error.reason };
    }
  });
}

/**
 * `const|let list = []`, pushed on, with its elements called in a `finally`: anything less is
 * some other array, not a cleanup list, and the codemod says nothing about it.
 */
function findCandidates(sourceCode: Readonly<TSESLint.SourceCode>): Array<{ variable: ListVariable; declarator: TSESTree.VariableDeclarator }> {
  const found: Array<{ variable: ListVariable; declarator: TSESTree.VariableDeclarator }> = [];
  if (!/\bfinally\b/.test(sourceCode.text)) return found;
  for (const scope of sourceCode.scopeManager?.scopes ?? []) {
    for (const variable of scope.variables) {
      const definition = variable.defs.length === 1 ? variable.defs[0] : undefined;
      const declarator = definition?.node;
      if (definition?.type !== 'Variable' || declarator?.type !== AST_NODE_TYPES.VariableDeclarator) continue;
      if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) continue;
      const init = skipTypeWrappers(declarator.init);
      if (init.type !== AST_NODE_TYPES.ArrayExpression || init.elements.length !== 0) continue;
      const declaration = declarator.parent;
      if (declaration.kind !== 'const' && declaration.kind !== 'let') continue;
      const references = variable.references.filter((reference) => !reference.init);
      if (!references.some((reference) => pushCall(reference.identifier) !== undefined)) continue;
      const listName = declarator.id.name;
      const callsInFinally = references.some((reference) => {
        const finalizer = enclosingFinalizer(reference.identifier);
        return finalizer !== undefined && callsElements(finalizer, listName);
      });
      if (callsInFinally) found.push({ variable, declarator });
    }
  }
  return found.sort((a, b) => a.declarator.range[0] - b.declarator.range[0]);
}

class ListPlanner {
  readonly #sourceCode: Readonly<TSESLint.SourceCode>;
  readonly #graph: CallGraph;

  constructor(sourceCode: Readonly<TSESLint.SourceCode>, graph: CallGraph) {
    this.#sourceCode = sourceCode;
    this.#graph = graph;
  }

  plan(variable: ListVariable, declarator: TSESTree.VariableDeclarator): CleanupListRewrite {
    const declaration = declarator.parent as TSESTree.VariableDeclaration;
    if (!STATEMENT_LIST_PARENTS.has(declaration.parent.type)) throw new Refusal('ambiguous-scope');
    const isList = (node: TSESTree.Node): boolean => node.type === AST_NODE_TYPES.Identifier && references.has(node);
    const references = new Set(variable.references.filter((reference) => !reference.init).map((reference) => reference.identifier as TSESTree.Node));
    for (const reference of variable.references) if (!reference.init && reference.isWrite()) throw new Refusal('escapes');

    // Sort the references: registrations, marks, and the rest, which must be runs in finally blocks.
    const pushes: TSESTree.CallExpression[] = [];
    const marks = new Map<string, TSESTree.VariableDeclaration>();
    const byFinalizer = new Map<TSESTree.BlockStatement, TSESTree.Node[]>();
    for (const reference of references) {
      const push = pushCall(reference);
      if (push) {
        if (!valueUnused(push)) {
          // `(cleanup) => list.push(cleanup)`, a registration hook handed to other code: the
          // callback's scope is the first thing wrong with it.
          const body = push.parent.type === AST_NODE_TYPES.ArrowFunctionExpression && push.parent.body === push;
          throw new Refusal(body && !this.#reaches(push, this.#graph.enclosingFunction(declaration)) ? 'ambiguous-scope' : 'escapes');
        }
        if (push.arguments.length !== 1 || push.arguments[0]!.type === AST_NODE_TYPES.SpreadElement) throw new Refusal('unrecognised-run');
        pushes.push(push);
        continue;
      }
      const mark = markDeclaration(reference);
      if (mark) {
        marks.set((mark.declarations[0]!.id as TSESTree.Identifier).name, mark);
        continue;
      }
      const finalizer = enclosingFinalizer(reference);
      if (finalizer) {
        byFinalizer.set(finalizer, [...(byFinalizer.get(finalizer) ?? []), reference]);
        continue;
      }
      throw new Refusal(isCallArgument(reference) ? 'passed-to-unknown-code' : 'escapes');
    }

    // Each finally that touches the list must start by running it, in a known way.
    const scopes: Scope[] = [];
    for (const [finalizer, inside] of byFinalizer) {
      const first = finalizer.body[0];
      const shape = first === undefined ? undefined : parseRun(first, isList);
      if (shape === 'catches') throw new Refusal('catches-per-cleanup');
      if (!shape) throw new Refusal(inside.some(isCallArgument) ? 'passed-to-unknown-code' : 'unrecognised-run');
      const runStatements: TSESTree.Statement[] = [first!];
      const next = finalizer.body[1];
      if (next && isReset(next, isList)) runStatements.push(next);
      if (inside.some((node) => !runStatements.some((statement) => within(node, statement)))) throw new Refusal('unrecognised-run');
      scopes.push({ tryStatement: finalizer.parent as TSESTree.TryStatement, finalizer, run: shape, runStatements, pushes: [] });
    }
    if (scopes.length === 0) throw new Refusal('unrecognised-run');

    // Marks: `const mark = list.length;` right before the try whose run stops at it.
    for (const scope of scopes) {
      if (scope.run.mark === undefined) continue;
      const mark = marks.get(scope.run.mark);
      if (!mark || previousStatement(scope.tryStatement) !== mark) throw new Refusal('unrecognised-run');
      const markVariable = this.#sourceCode.getDeclaredVariables(mark)[0];
      const markUses = markVariable?.references.filter((reference) => !reference.init) ?? [];
      if (markUses.length !== 1 || !within(markUses[0]!.identifier, scope.runStatements[0]!)) throw new Refusal('unrecognised-run');
      scope.markStatement = mark;
      marks.delete(scope.run.mark);
    }
    if (marks.size > 0) throw new Refusal('escapes');

    // Nesting: a scope inside another's try block or catch clause is its child.
    const body = (scope: Scope): TSESTree.Node[] => [scope.tryStatement.block, ...(scope.tryStatement.handler ? [scope.tryStatement.handler] : [])];
    for (const scope of scopes) {
      let parent: Scope | undefined;
      for (const other of scopes) {
        if (other === scope) continue;
        if (within(scope.tryStatement, other.finalizer)) throw new Refusal('ambiguous-scope');
        if (body(other).some((part) => within(scope.tryStatement, part)) && (!parent || within(other.tryStatement, parent.tryStatement))) parent = other;
      }
      if (parent) scope.parent = parent;
      if (scope.tryStatement.range[0] < declaration.range[1]) throw new Refusal('ambiguous-scope');
      if (!this.#runsWith(scope.tryStatement, declaration)) throw new Refusal('ambiguous-scope');
    }
    // A run that leaves its cleanups in the list may only be the one outermost run, right in the
    // list's block: run again (a loop, another try) it would run them twice.
    for (const scope of scopes) {
      if (scope.run.clears) continue;
      if (scope.parent || scope.tryStatement.parent !== declaration.parent) throw new Refusal('ambiguous-scope');
      if (scopes.some((other) => other !== scope && !body(scope).some((part) => within(other.tryStatement, part)))) throw new Refusal('ambiguous-scope');
    }

    // Each registration belongs to the innermost scope around it, made while that scope runs.
    for (const call of pushes) {
      const scope = innermost(scopes.filter((candidate) => body(candidate).some((part) => within(call, part))));
      if (!scope) throw new Refusal('ambiguous-scope');
      const repeats = this.#repeats(call, scope.tryStatement);
      scope.pushes.push({ call, callee: call.callee as TSESTree.MemberExpression, repeats });
      const value = call.arguments[0]!;
      if (scope.run.indexed && value.type !== AST_NODE_TYPES.ArrowFunctionExpression) throw new Refusal('unrecognised-run');
    }
    if (scopes.some((scope) => scope.run.order === 'fifo')) {
      const onlyOne = scopes.length === 1 && pushes.length === 1 && !scopes[0]!.pushes[0]!.repeats;
      if (!onlyOne) throw new Refusal('registration-order');
    }
    return this.#rewrite(declarator, scopes);
  }

  /** True when `tryStatement` runs while the list's declaration's function runs (in it, or in a callback run on the spot). */
  #runsWith(node: TSESTree.Node, declaration: TSESTree.Node): boolean {
    const owner = this.#graph.enclosingFunction(declaration);
    return this.#reaches(node, owner);
  }

  /** Follows `node`'s function up through synchronous inline callbacks (`map`, `forEach`…) to `owner`. */
  #reaches(node: TSESTree.Node, owner: TSESTree.Node): boolean {
    let current = this.#graph.enclosingFunction(node);
    for (let guard = 0; guard < 100 && current !== owner; guard++) {
      if (!isFunctionNode(current) || current.async || current.generator) return false;
      const runner = this.#graph.runInline(current);
      if (!runner) return false;
      current = this.#graph.enclosingFunction(runner);
    }
    return current === owner;
  }

  /** Checks the push runs on the spot in its scope, and says whether it may run more than once there. */
  #repeats(call: TSESTree.CallExpression, tryStatement: TSESTree.TryStatement): boolean {
    if (!this.#reaches(call, this.#graph.enclosingFunction(tryStatement))) throw new Refusal('ambiguous-scope');
    for (let node: TSESTree.Node | undefined = call.parent; node && node !== tryStatement; node = node.parent) {
      if (isFunctionNode(node) || LOOPS.has(node.type)) return true;
    }
    return false;
  }

  /** The list's declarator goes: its whole declaration when alone in it, else it and one comma. */
  #removeDeclarator(declarator: TSESTree.VariableDeclarator): CleanupListEdit[] {
    const declaration = declarator.parent as TSESTree.VariableDeclaration;
    if (declaration.declarations.length === 1) return this.#removeStatements(declaration, declaration);
    const declarators: readonly TSESTree.VariableDeclarator[] = declaration.declarations;
    const index = declarators.indexOf(declarator);
    const next = declarators[index + 1];
    const previous = declarators[index - 1];
    const range: [number, number] = next ? [declarator.range[0], next.range[0]] : [previous!.range[1], declarator.range[1]];
    if (this.#sourceCode.getAllComments().some((comment) => comment.range[0] >= range[0] && comment.range[1] <= range[1])) throw new Refusal('unrecognised-run');
    return [{ range, text: '' }];
  }

  #rewrite(declarator: TSESTree.VariableDeclarator, scopes: Scope[]): CleanupListRewrite {
    const edits: CleanupListEdit[] = [];
    const regions: IndentRegion[] = [];
    edits.push(...this.#removeDeclarator(declarator));
    const names = new Map<Scope, string>();
    const ordered = [...scopes].sort((a, b) => a.tryStatement.range[0] - b.tryStatement.range[0]);
    for (const scope of ordered) {
      const taken = new Set<string>();
      for (let parent = scope.parent; parent; parent = parent.parent) taken.add(names.get(parent)!);
      const owner = this.#graph.enclosingFunction(scope.tryStatement);
      const name = freeStackName(this.#sourceCode.text.slice(owner.range[0], owner.range[1]), taken);
      names.set(scope, name);
      for (const push of scope.pushes) {
        edits.push({ range: push.callee.range, text: `${name}.defer` });
      }
      if (scope.markStatement) edits.push(...this.#removeStatements(scope.markStatement, scope.markStatement));
      this.#rewriteScope(scope, name, edits, regions);
    }
    return { edits, regions };
  }

  #rewriteScope(scope: Scope, name: string, edits: CleanupListEdit[], regions: IndentRegion[]): void {
    const text = this.#sourceCode.text;
    const { tryStatement, finalizer } = scope;
    const handler = tryStatement.handler;
    const declarationText = `${scope.run.awaited ? 'await using' : 'using'} ${name} = new ${scope.run.awaited ? 'AsyncDisposableStack' : 'DisposableStack'}();`;
    const onlyRun = finalizer.body.length === scope.runStatements.length;
    const indent = this.#indentOf(tryStatement.range[0]);
    const unit = this.#unitInside(tryStatement.block, indent);
    const parent = tryStatement.parent;
    const isLast =
      (parent.type === AST_NODE_TYPES.BlockStatement || (parent.type === AST_NODE_TYPES.Program && parent.sourceType === 'module')) &&
      parent.body[parent.body.length - 1] === tryStatement;
    // Comments inside the removed run (and in a removed `finally`) go above the new declaration.
    const movedComments = (ranges: ReadonlyArray<readonly [number, number]>): string[] =>
      this.#sourceCode
        .getAllComments()
        .filter((comment) => ranges.some(([start, end]) => comment.range[0] >= start && comment.range[1] <= end))
        .map((comment) => text.slice(comment.range[0], comment.range[1]));
    const lead = (comments: readonly string[], at: string): string => comments.map((comment) => `${comment}\n${at}`).join('');
    const blockOpen = tryStatement.block.range[0] + 1;
    const firstInBlock = this.#nextContent(blockOpen);
    const blockOnOneLine = !text.slice(blockOpen, firstInBlock).includes('\n');
    const insertAfterBrace = (comments: readonly string[]): CleanupListEdit => ({
      range: [blockOpen, blockOpen],
      text: (adjust) => {
        if (blockOnOneLine) return ` ${comments.map((comment) => `${comment} `).join('')}${declarationText}`;
        const inner = adjust(this.#indentOf(firstInBlock));
        return `\n${inner}${lead(comments, inner)}${declarationText}`;
      },
    });

    if (!handler && onlyRun) {
      const removed: [number, number] = [tryStatement.block.range[1], tryStatement.range[1]];
      const comments = movedComments([removed]);
      const declared = topLevelNames(tryStatement.block);
      const owner = this.#graph.enclosingFunction(tryStatement);
      const outside = text.slice(owner.range[0], tryStatement.block.range[0]) + text.slice(tryStatement.block.range[1], owner.range[1]);
      const clash = declared.some((declaredName) => new RegExp(`(?<![\\w$])${escapeRegExp(declaredName)}(?![\\w$])`, 'u').test(outside));
      const lastInBlock = this.#previousContentEnd(tryStatement.block.range[1] - 1);
      if (isLast && !clash && tryStatement.block.body.length > 0 && !blockOnOneLine && unit !== undefined) {
        // Flatten: the body joins the enclosing block, one level less indented.
        edits.push({ range: [tryStatement.range[0], firstInBlock], text: (adjust) => `${lead(comments, adjust(indent))}${declarationText}\n${adjust(indent)}` });
        edits.push({ range: [lastInBlock, tryStatement.range[1]], text: '' });
        regions.push({ start: firstInBlock, end: lastInBlock, delta: -1, unit });
        return;
      }
      // A block of its own: `{ using stack = …; … }`.
      edits.push({ range: [tryStatement.range[0], tryStatement.block.range[0]], text: '' });
      edits.push(insertAfterBrace(comments));
      edits.push({ range: removed, text: '' });
      return;
    }
    if (!handler) {
      // The finally keeps its other work, which runs after the stack is disposed, as before.
      edits.push(insertAfterBrace(movedComments([[scope.runStatements[0]!.range[0], scope.runStatements.at(-1)!.range[1]]])));
      edits.push(...this.#removeStatements(scope.runStatements[0]!, scope.runStatements.at(-1)!, false));
      return;
    }
    if (onlyRun) {
      const removed: [number, number] = [handler.range[1], tryStatement.range[1]];
      const comments = movedComments([removed]);
      if (isLast) {
        // The stack is disposed at the end of the enclosing block: after the catch, as the finally ran.
        edits.push({ range: [tryStatement.range[0], tryStatement.range[0]], text: (adjust) => `${lead(comments, adjust(indent))}${declarationText}\n${adjust(indent)}` });
        edits.push({ range: removed, text: '' });
        return;
      }
      if (unit === undefined) throw new Refusal('unrecognised-run');
      edits.push({ range: [tryStatement.range[0], tryStatement.range[0]], text: (adjust) => `{\n${adjust(indent)}${unit}${lead(comments, adjust(indent) + unit)}${declarationText}\n${adjust(indent)}${unit}` });
      edits.push({ range: removed, text: (adjust) => `\n${adjust(indent)}}` });
      regions.push({ start: tryStatement.range[0], end: handler.range[1], delta: 1, unit });
      return;
    }
    // A catch clause and more work in the finally: the stack wraps the try/catch inside the try.
    if (unit === undefined) throw new Refusal('unrecognised-run');
    const runRange: [number, number] = [scope.runStatements[0]!.range[0], scope.runStatements.at(-1)!.range[1]];
    const comments = movedComments([runRange]);
    edits.push({ range: [tryStatement.range[0], tryStatement.range[0]], text: (adjust) => `try {\n${adjust(indent)}${unit}${lead(comments, adjust(indent) + unit)}${declarationText}\n${adjust(indent)}${unit}` });
    edits.push({ range: [handler.range[1], handler.range[1]], text: (adjust) => `\n${adjust(indent)}}` });
    edits.push(...this.#removeStatements(scope.runStatements[0]!, scope.runStatements.at(-1)!, false));
    regions.push({ start: tryStatement.range[0], end: handler.range[1], delta: 1, unit });
  }

  /** Removes statements `first`…`last`, with their lines when they are alone on them. */
  #removeStatements(first: TSESTree.Node, last: TSESTree.Node, keepComments = true): CleanupListEdit[] {
    const text = this.#sourceCode.text;
    const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
    const lineEnd = text.indexOf('\n', last.range[1]);
    const end = lineEnd === -1 ? text.length : lineEnd;
    let range: [number, number] = [first.range[0], last.range[1]];
    if (/^[ \t]*$/u.test(text.slice(lineStart, first.range[0])) && /^[ \t]*$/u.test(text.slice(last.range[1], end))) {
      range = [lineStart, lineEnd === -1 ? end : end + 1];
    }
    if (keepComments && this.#sourceCode.getAllComments().some((comment) => comment.range[0] >= range[0] && comment.range[1] <= range[1])) {
      throw new Refusal('unrecognised-run');
    }
    return [{ range, text: '' }];
  }

  #indentOf(offset: number): string {
    const text = this.#sourceCode.text;
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    return /^[ \t]*/u.exec(text.slice(lineStart))![0];
  }

  /** The indentation step from `indent` to the first line of the block's content, if it is one. */
  #unitInside(block: TSESTree.BlockStatement, indent: string): string | undefined {
    const first = this.#nextContent(block.range[0] + 1);
    const inner = this.#indentOf(first);
    if (inner.length > indent.length && inner.startsWith(indent)) return inner.slice(indent.length);
    return undefined;
  }

  /** The offset of the first non-blank character at or after `offset`. */
  #nextContent(offset: number): number {
    const text = this.#sourceCode.text;
    let at = offset;
    while (at < text.length && /\s/u.test(text[at]!)) at++;
    return at;
  }

  /** The end of the last non-blank character before `offset`. */
  #previousContentEnd(offset: number): number {
    const text = this.#sourceCode.text;
    let at = offset;
    while (at > 0 && /\s/u.test(text[at - 1]!)) at--;
    return at;
  }
}

/**
 * The plain edits of the accepted rewrites (and any other edits of the same file): function
 * texts are indented for where they land, and the lines of each indent region are moved.
 * Lines inside strings, templates and block comments, and lines another edit replaces, are
 * never re-indented.
 */
export function renderCleanupListEdits(
  sourceCode: Readonly<TSESLint.SourceCode>,
  rewrites: readonly CleanupListRewrite[],
  otherEdits: ReadonlyArray<{ readonly range: readonly [number, number]; readonly text: string }>,
): Array<{ range: readonly [number, number]; text: string }> {
  const text = sourceCode.text;
  const regions = rewrites.flatMap((rewrite) => rewrite.regions);
  const shifts = (offset: number): IndentRegion[] => regions.filter((region) => region.start < offset && offset < region.end);
  const adjustAt =
    (offset: number) =>
    (indent: string): string => {
      let result = indent;
      for (const region of shifts(offset)) {
        if (region.delta > 0) result += region.unit;
        else if (result.endsWith(region.unit)) result = result.slice(0, -region.unit.length);
      }
      return result;
    };
  const edits: Array<{ range: readonly [number, number]; text: string }> = [...otherEdits];
  for (const rewrite of rewrites) {
    for (const edit of rewrite.edits) edits.push({ range: edit.range, text: typeof edit.text === 'string' ? edit.text : edit.text(adjustAt(edit.range[0])) });
  }
  if (regions.length === 0) return edits;
  const locked = lockedLines(sourceCode);
  const covered = (offset: number): boolean =>
    edits.some((edit) => (edit.range[0] === edit.range[1] ? edit.range[0] === offset : edit.range[0] <= offset && offset < edit.range[1]));
  const lineEdits: Array<{ range: readonly [number, number]; text: string }> = [];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
    const lineStart = at + 1;
    const moves = shifts(lineStart);
    if (moves.length === 0 || locked.has(lineStart) || covered(lineStart)) continue;
    const indent = /^[ \t]*/u.exec(text.slice(lineStart))![0];
    const lineEnd = text.indexOf('\n', lineStart);
    if (text.slice(lineStart + indent.length, lineEnd === -1 ? text.length : lineEnd).trim() === '') continue;
    const wanted = adjustAt(lineStart)(indent);
    if (wanted !== indent) lineEdits.push({ range: [lineStart, lineStart + indent.length], text: wanted });
  }
  return [...edits, ...lineEdits];
}

function lockedLines(sourceCode: Readonly<TSESLint.SourceCode>): Set<number> {
  const source = sourceCode.text;
  const locked = new Set<number>();
  const lock = (start: number, end: number): void => {
    for (let at = source.indexOf('\n', start); at !== -1 && at < end - 1; at = source.indexOf('\n', at + 1)) locked.add(at + 1);
  };
  for (const token of sourceCode.ast.tokens) {
    if (token.type === 'Template' || token.type === 'String' || token.type === 'JSXText') lock(token.range[0], token.range[1]);
  }
  for (const comment of sourceCode.getAllComments()) if (comment.type === 'Block') lock(comment.range[0], comment.range[1]);
  return locked;
}

const LOOPS = new Set<string>([
  AST_NODE_TYPES.ForStatement,
  AST_NODE_TYPES.ForInStatement,
  AST_NODE_TYPES.ForOfStatement,
  AST_NODE_TYPES.WhileStatement,
  AST_NODE_TYPES.DoWhileStatement,
]);

function skipTypeWrappers(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.type === AST_NODE_TYPES.TSAsExpression || current.type === AST_NODE_TYPES.TSSatisfiesExpression || current.type === AST_NODE_TYPES.TSTypeAssertion) {
    current = current.expression;
  }
  return current;
}

function within(node: TSESTree.Node, container: TSESTree.Node): boolean {
  return node.range[0] >= container.range[0] && node.range[1] <= container.range[1];
}

function innermost(scopes: readonly Scope[]): Scope | undefined {
  return scopes.reduce<Scope | undefined>((best, scope) => (!best || within(scope.tryStatement, best.tryStatement) ? scope : best), undefined);
}

function escapeRegExp(text: string): string {
  return text.replace(/[$]/gu, '\\$');
}

/** `list.push(…)` with `reference` as `list`. */
function pushCall(reference: TSESTree.Node): TSESTree.CallExpression | undefined {
  const member = reference.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference || member.computed || memberName(member) !== 'push') return undefined;
  const call = member.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.callee === member && !call.optional ? call : undefined;
}

/**
 * Nothing reads the value of `node`: a statement of its own, or a part of one whose value goes
 * nowhere (`a && (x(), list.push(f))`, as minifiers write it). `defer` returns nothing where
 * `push` returned the new length: only an unread value can change.
 */
function valueUnused(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.ExpressionStatement:
      return true;
    case AST_NODE_TYPES.SequenceExpression:
      return parent.expressions.at(-1) !== node || valueUnused(parent);
    case AST_NODE_TYPES.LogicalExpression:
      return parent.right === node && valueUnused(parent);
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.test !== node && valueUnused(parent);
    default:
      return false;
  }
}

/** `const mark = list.length;` with `reference` as `list`. */
function markDeclaration(reference: TSESTree.Node): TSESTree.VariableDeclaration | undefined {
  const member = reference.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== reference || memberName(member) !== 'length') return undefined;
  const declarator = member.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== member || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  const declaration = declarator.parent;
  return declaration.kind === 'const' && declaration.declarations.length === 1 ? declaration : undefined;
}

function isCallArgument(node: TSESTree.Node): boolean {
  const parent = node.parent;
  return (parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.callee !== node;
}

/** The `finally` block `node` is in, without crossing a function. */
function enclosingFinalizer(node: TSESTree.Node): TSESTree.BlockStatement | undefined {
  let child: TSESTree.Node = node;
  for (let parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (isFunctionNode(parent)) return undefined;
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.finalizer === child) return parent.finalizer;
  }
  return undefined;
}

function previousStatement(statement: TSESTree.Statement): TSESTree.Node | undefined {
  const parent = statement.parent;
  const list = parent && 'body' in parent && Array.isArray(parent.body) ? (parent.body as TSESTree.Node[]) : parent?.type === AST_NODE_TYPES.SwitchCase ? parent.consequent : undefined;
  const index = list?.indexOf(statement) ?? -1;
  return index > 0 ? list![index - 1] : undefined;
}

/** Names a block declares at its top level with `let`, `const`, `using`, `class` or `function`. */
function topLevelNames(block: TSESTree.BlockStatement): string[] {
  const names: string[] = [];
  for (const statement of block.body) {
    if (statement.type === AST_NODE_TYPES.VariableDeclaration && statement.kind !== 'var') {
      for (const declarator of statement.declarations) names.push(...patternNames(declarator.id));
    } else if ((statement.type === AST_NODE_TYPES.ClassDeclaration || statement.type === AST_NODE_TYPES.FunctionDeclaration) && statement.id) {
      names.push(statement.id.name);
    }
  }
  return names;
}

function patternNames(pattern: TSESTree.Node): string[] {
  switch (pattern.type) {
    case AST_NODE_TYPES.Identifier:
      return [pattern.name];
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.flatMap((property) => patternNames(property.type === AST_NODE_TYPES.RestElement ? property.argument : property.value));
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.flatMap((element) => (element ? patternNames(element) : []));
    case AST_NODE_TYPES.AssignmentPattern:
      return patternNames(pattern.left);
    case AST_NODE_TYPES.RestElement:
      return patternNames(pattern.argument);
    default:
      return [];
  }
}

// ---------------------------------------------------------------- the run's shape

/**
 * The run a `finally` starts with, `'catches'` when it calls each cleanup under its own
 * `try`/`catch` (or `.catch()`), or undefined when it is no run this file knows.
 */
function parseRun(statement: TSESTree.Statement, isList: (node: TSESTree.Node) => boolean): RunShape | 'catches' | undefined {
  switch (statement.type) {
    case AST_NODE_TYPES.ForOfStatement: {
      if (statement.await || statement.left.type !== AST_NODE_TYPES.VariableDeclaration || statement.left.declarations.length !== 1) return undefined;
      const element = statement.left.declarations[0]!.id;
      if (element.type !== AST_NODE_TYPES.Identifier) return undefined;
      const order = iterationOrder(statement.right, isList);
      if (!order) return undefined;
      const call = cleanupCall(statement.body, (node) => node.type === AST_NODE_TYPES.Identifier && node.name === element.name);
      if (call === 'catches' || call === undefined) return call;
      return { order, awaited: call.awaited, clears: false, indexed: false };
    }
    case AST_NODE_TYPES.WhileStatement:
      return popRun(statement.test, statement.body, isList);
    case AST_NODE_TYPES.ForStatement: {
      // `for (; list.length; ) list.pop()()`: a while loop, as minifiers write it.
      if (!statement.init && !statement.update && statement.test) return popRun(statement.test, statement.body, isList);
      const loop = indexLoop(statement, isList);
      if (!loop) return undefined;
      const call = cleanupCall(
        statement.body,
        (node) => node.type === AST_NODE_TYPES.MemberExpression && node.computed && isList(node.object) && node.property.type === AST_NODE_TYPES.Identifier && node.property.name === loop.index,
      );
      if (call === 'catches' || call === undefined) return call;
      return { order: loop.order, awaited: call.awaited, clears: false, indexed: true };
    }
    case AST_NODE_TYPES.ExpressionStatement: {
      // `list.forEach((c) => c())`, `list.reverse().forEach(…)`.
      const expression = statement.expression;
      if (expression.type !== AST_NODE_TYPES.CallExpression || expression.callee.type !== AST_NODE_TYPES.MemberExpression || memberName(expression.callee) !== 'forEach') return undefined;
      const order = iterationOrder(expression.callee.object, isList);
      const callback = expression.arguments[0];
      if (!order || expression.arguments.length !== 1 || !callback || !isFunctionNode(callback) || callback.async || callback.params.length !== 1) return undefined;
      const parameter = callback.params[0]!;
      if (parameter.type !== AST_NODE_TYPES.Identifier) return undefined;
      const isElement = (node: TSESTree.Node): boolean => node.type === AST_NODE_TYPES.Identifier && node.name === parameter.name;
      const call = callback.body.type === AST_NODE_TYPES.BlockStatement ? cleanupCall(callback.body, isElement) : expressionCall(callback.body, isElement);
      if (call === 'catches' || call === undefined) return call;
      if (call.awaited) return undefined;
      return { order, awaited: false, clears: false, indexed: false };
    }
    default:
      return undefined;
  }
}

/** `while (list.length) list.pop()()` (or `shift()`, or down to a mark). */
function popRun(testExpression: TSESTree.Expression, body: TSESTree.Statement, isList: (node: TSESTree.Node) => boolean): RunShape | 'catches' | undefined {
  const test = whileTest(testExpression, isList);
  if (!test) return undefined;
  let order: Order | undefined;
  const isTaken = (node: TSESTree.Node): boolean => {
    if (node.type !== AST_NODE_TYPES.CallExpression || node.arguments.length !== 0 || node.callee.type !== AST_NODE_TYPES.MemberExpression || !isList(node.callee.object)) return false;
    const method = memberName(node.callee);
    order = method === 'pop' ? 'lifo' : method === 'shift' ? 'fifo' : undefined;
    return order !== undefined;
  };
  // `{ const c = list.pop(); await c?.(); }`: the element named first, then called.
  const [first, second, ...rest] = body.type === AST_NODE_TYPES.BlockStatement ? body.body : [];
  if (first?.type === AST_NODE_TYPES.VariableDeclaration && second && rest.length === 0) {
    const declarator = first.declarations.length === 1 ? first.declarations[0]! : undefined;
    if (first.kind === 'var' || declarator?.id.type !== AST_NODE_TYPES.Identifier || !declarator.init || !isTaken(declarator.init)) return undefined;
    const name = declarator.id.name;
    const call = cleanupCall(second, (node) => node.type === AST_NODE_TYPES.Identifier && node.name === name);
    if (call === 'catches') return call;
    if (call === undefined || !order) return undefined;
    return { order, awaited: call.awaited, clears: true, indexed: false, ...(test.mark === undefined ? {} : { mark: test.mark }) };
  }
  const call = cleanupCall(body, isTaken);
  if (call === 'catches') return call;
  if (call === undefined || !order) return undefined;
  return { order, awaited: call.awaited, clears: true, indexed: false, ...(test.mark === undefined ? {} : { mark: test.mark }) };
}

/** `list` / `[...list]` / `list.slice()` run first-in-first-out; their `reverse()` / `toReversed()` last-in-first-out. */
function iterationOrder(expression: TSESTree.Node, isList: (node: TSESTree.Node) => boolean): Order | undefined {
  const copyOf = (node: TSESTree.Node): boolean => {
    if (isList(node)) return true;
    if (node.type === AST_NODE_TYPES.ArrayExpression && node.elements.length === 1) {
      const only = node.elements[0];
      return only?.type === AST_NODE_TYPES.SpreadElement && isList(only.argument);
    }
    if (node.type === AST_NODE_TYPES.CallExpression && node.arguments.length === 0 && node.callee.type === AST_NODE_TYPES.MemberExpression) {
      return memberName(node.callee) === 'slice' && isList(node.callee.object);
    }
    return false;
  };
  if (copyOf(expression)) return 'fifo';
  if (expression.type === AST_NODE_TYPES.CallExpression && expression.arguments.length === 0 && expression.callee.type === AST_NODE_TYPES.MemberExpression) {
    const method = memberName(expression.callee);
    if ((method === 'reverse' || method === 'toReversed') && copyOf(expression.callee.object)) return 'lifo';
  }
  return undefined;
}

/** `list.length`, `list.length > 0`, `list.length !== 0`, `list.length > mark`. */
function whileTest(test: TSESTree.Expression, isList: (node: TSESTree.Node) => boolean): { mark?: string } | undefined {
  const isLength = (node: TSESTree.Node): boolean => node.type === AST_NODE_TYPES.MemberExpression && !node.computed && memberName(node) === 'length' && isList(node.object);
  if (isLength(test)) return {};
  if (test.type !== AST_NODE_TYPES.BinaryExpression || !isLength(test.left)) return undefined;
  const right = test.right;
  const zero = right.type === AST_NODE_TYPES.Literal && right.value === 0;
  if (zero && (test.operator === '>' || test.operator === '!==' || test.operator === '!=')) return {};
  if (right.type === AST_NODE_TYPES.Identifier && test.operator === '>') return { mark: right.name };
  return undefined;
}

/** `for (let i = list.length - 1; i >= 0; i--)` (last-in-first-out) or `for (let i = 0; i < list.length; i++)`. */
function indexLoop(statement: TSESTree.ForStatement, isList: (node: TSESTree.Node) => boolean): { index: string; order: Order } | undefined {
  const init = statement.init;
  if (init?.type !== AST_NODE_TYPES.VariableDeclaration || init.kind !== 'let' || init.declarations.length !== 1) return undefined;
  const declarator = init.declarations[0]!;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return undefined;
  const index = declarator.id.name;
  const isIndex = (node: TSESTree.Node | null | undefined): boolean => node?.type === AST_NODE_TYPES.Identifier && node.name === index;
  const isNumber = (node: TSESTree.Node, value: number): boolean =>
    (node.type === AST_NODE_TYPES.Literal && node.value === value) ||
    (value < 0 && node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '-' && node.argument.type === AST_NODE_TYPES.Literal && node.argument.value === -value);
  const isLength = (node: TSESTree.Node): boolean => node.type === AST_NODE_TYPES.MemberExpression && !node.computed && memberName(node) === 'length' && isList(node.object);
  const test = statement.test;
  const update = statement.update;
  const step = (direction: 1 | -1): boolean => {
    if (update?.type === AST_NODE_TYPES.UpdateExpression) return isIndex(update.argument) && update.operator === (direction > 0 ? '++' : '--');
    if (update?.type === AST_NODE_TYPES.AssignmentExpression) return isIndex(update.left) && update.operator === (direction > 0 ? '+=' : '-=') && isNumber(update.right, 1);
    return false;
  };
  const backwardsStart = declarator.init.type === AST_NODE_TYPES.BinaryExpression && declarator.init.operator === '-' && isLength(declarator.init.left) && isNumber(declarator.init.right, 1);
  if (backwardsStart && step(-1) && test?.type === AST_NODE_TYPES.BinaryExpression) {
    if ((test.operator === '>=' && isIndex(test.left) && isNumber(test.right, 0)) || (test.operator === '>' && isIndex(test.left) && isNumber(test.right, -1))) return { index, order: 'lifo' };
  }
  if (isNumber(declarator.init, 0) && step(1) && test?.type === AST_NODE_TYPES.BinaryExpression && test.operator === '<' && isIndex(test.left) && isLength(test.right)) {
    return { index, order: 'fifo' };
  }
  return undefined;
}

/**
 * The body of a run: one statement calling the element with no arguments (`c()`, `c?.()`,
 * `await c()`), or that call under a `try`/`catch` or with `.catch(…)` (`'catches'`).
 */
function cleanupCall(body: TSESTree.Node, isElement: (node: TSESTree.Node) => boolean): { awaited: boolean } | 'catches' | undefined {
  let statement = body;
  if (statement.type === AST_NODE_TYPES.BlockStatement) {
    if (statement.body.length !== 1) return undefined;
    statement = statement.body[0]!;
  }
  if (statement.type === AST_NODE_TYPES.TryStatement) {
    if (!statement.handler) return undefined;
    return cleanupCall(statement.block, isElement) ? 'catches' : undefined;
  }
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return undefined;
  return expressionCall(statement.expression, isElement);
}

function expressionCall(expression: TSESTree.Node, isElement: (node: TSESTree.Node) => boolean): { awaited: boolean } | 'catches' | undefined {
  let current = expression;
  let awaited = false;
  if (current.type === AST_NODE_TYPES.AwaitExpression) {
    awaited = true;
    current = current.argument;
  }
  if (current.type === AST_NODE_TYPES.ChainExpression) current = current.expression;
  if (current.type !== AST_NODE_TYPES.CallExpression) return undefined;
  if (current.callee.type === AST_NODE_TYPES.MemberExpression && memberName(current.callee) === 'catch' && isElementCall(current.callee.object, isElement)) return 'catches';
  return isElementCall(current, isElement) ? { awaited } : undefined;
}

function isElementCall(node: TSESTree.Node, isElement: (node: TSESTree.Node) => boolean): boolean {
  const call = node.type === AST_NODE_TYPES.ChainExpression ? node.expression : node;
  if (call.type !== AST_NODE_TYPES.CallExpression || call.arguments.length !== 0) return false;
  // `list.pop()!()`: TypeScript's non-null assertion changes nothing at run time.
  const callee = call.callee.type === AST_NODE_TYPES.TSNonNullExpression ? call.callee.expression : call.callee;
  return isElement(callee);
}

/** `list.length = 0`, `list.splice(0)`: emptying the list after its run. */
function isReset(statement: TSESTree.Statement, isList: (node: TSESTree.Node) => boolean): boolean {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const expression = statement.expression;
  if (expression.type === AST_NODE_TYPES.AssignmentExpression) {
    const left = expression.left;
    return (
      expression.operator === '=' &&
      left.type === AST_NODE_TYPES.MemberExpression &&
      memberName(left) === 'length' &&
      isList(left.object) &&
      expression.right.type === AST_NODE_TYPES.Literal &&
      expression.right.value === 0
    );
  }
  return (
    expression.type === AST_NODE_TYPES.CallExpression &&
    expression.callee.type === AST_NODE_TYPES.MemberExpression &&
    memberName(expression.callee) === 'splice' &&
    isList(expression.callee.object) &&
    expression.arguments.length === 1 &&
    expression.arguments[0]!.type === AST_NODE_TYPES.Literal &&
    expression.arguments[0]!.value === 0
  );
}

/** Whether something in `finalizer` calls the list's elements (a run of any order or shape). */
function callsElements(finalizer: TSESTree.BlockStatement, listName: string): boolean {
  const isList = (node: TSESTree.Node): boolean => node.type === AST_NODE_TYPES.Identifier && node.name === listName;
  for (const statement of finalizer.body) if (parseRun(statement, isList) !== undefined) return true;
  // Other shapes (`Promise.all(list.map((c) => c()))`, a loop doing more): a call of a value
  // taken from the list, or of the parameter of a callback given to one of its methods.
  let found = false;
  const elementNames = new Set<string>();
  const visit = (node: TSESTree.Node): void => {
    if (found) return;
    if (node.type === AST_NODE_TYPES.ForOfStatement && node.left.type === AST_NODE_TYPES.VariableDeclaration && mentions(node.right, listName)) {
      const id = node.left.declarations[0]?.id;
      if (id?.type === AST_NODE_TYPES.Identifier) elementNames.add(id.name);
    }
    if (node.type === AST_NODE_TYPES.CallExpression) {
      const callee = node.callee;
      if (callee.type === AST_NODE_TYPES.Identifier && elementNames.has(callee.name)) found = true;
      if (callee.type === AST_NODE_TYPES.MemberExpression && callee.computed && isList(callee.object)) found = true;
      if (callee.type === AST_NODE_TYPES.CallExpression && callee.callee.type === AST_NODE_TYPES.MemberExpression && isList(callee.callee.object)) found = true;
      if (callee.type === AST_NODE_TYPES.MemberExpression && mentions(callee.object, listName)) {
        for (const argument of node.arguments) {
          if (isFunctionNode(argument) && argument.params[0]?.type === AST_NODE_TYPES.Identifier) elementNames.add(argument.params[0].name);
        }
      }
    }
    for (const child of childNodes(node)) visit(child);
  };
  visit(finalizer);
  return found;
}

function mentions(node: TSESTree.Node, name: string): boolean {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name === name;
  return childNodes(node).some((child) => mentions(child, name));
}

