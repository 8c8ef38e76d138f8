import {
  analyzeTryFinallyCleanups,
  isAstNode,
  type AstNode,
  type CleanupAnalysis,
  type CleanupChain,
  type CleanupRegistration,
  type Refusal,
  type RefusalReason,
  type SiteLocation,
  type TryConversion,
} from './try-finally-cleanup.js';
import { forEachChild, isFunction } from './try-finally-ast-shape.js';
import {
  patternNames,
  rangeOf,
  surveyByWalk,
  surveyLintedFile,
  type FileSurvey,
  type LintedFile,
  type NameBinding,
  type NameUse,
} from './try-finally-survey.js';
import { parse as babelParse } from '@babel/parser';

import { asParseError, dialectForPath, parserOptionsFor } from './try-finally-parse.js';
import { cleanupPolicyFor } from './try-finally-policy.js';
import type { SiteRewriteResult } from './site-result.js';

// Prints the rewrites of hand-written try/finally cleanups into `using` / DisposableStack, for
// the codemod `try-finally-to-using` (whole files) and for the suggestions of its twin rule
// `ctx/prefer-using` (one site), so both write the same text. Every decision (what converts,
// how each cleanup registers, which tries share a stack) comes from the shared detector in
// analysis/try-finally-cleanup.ts; this file only prints those decisions.
// See docs/codemods/try-finally-to-using.md.
//
// It prints by splicing text, never by reprinting the AST: every statement it moves is copied
// from the source byte for byte, and only the indentation of its lines changes. A line that
// starts inside a string, template literal, regular expression or block comment keeps its
// leading whitespace, because that whitespace is part of a value. Only the few lines it
// creates (the stack, the registrations) are new text, written in the file's own indentation
// and semicolon style.

export type { Refusal, RefusalReason, SiteLocation };
export { refusalReasons } from './try-finally-cleanup.js';

export interface TransformResult extends SiteRewriteResult<RefusalReason> {
  changed: boolean;
}

export interface TransformOptions {
  /** Also convert sites whose only cleanup is a side effect (refused as `lone-side-effect` by default). */
  allSites?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Text with locked line starts

/**
 * A piece of output text and the offsets (in `text`) of line starts whose leading whitespace
 * belongs to a token value: re-indenting skips those lines.
 */
interface Piece {
  text: string;
  locked: number[];
}

const plain = (text: string): Piece => ({ text, locked: [] });

function concat(...pieces: Piece[]): Piece {
  let text = '';
  const locked: number[] = [];
  for (const piece of pieces) {
    for (const at of piece.locked) locked.push(at + text.length);
    text += piece.text;
  }
  return { text, locked };
}

function join(pieces: Piece[], separator: string): Piece {
  return concat(...pieces.flatMap((piece, index) => (index === 0 ? [piece] : [plain(separator), piece])));
}

function trimEndPiece(piece: Piece): Piece {
  const text = piece.text.trimEnd();
  return { text, locked: piece.locked.filter((at) => at <= text.length) };
}

/**
 * Replaces the leading `from` of every unlocked line after the first with `to`. Lines indented
 * less than `from` (continuations aligned by hand) and blank lines are left as they are.
 */
function reindent(piece: Piece, from: string, to: string): Piece {
  if (from === to) return piece;
  const locked = new Set(piece.locked);
  let text = '';
  const newLocked: number[] = [];
  let cursor = 0;
  for (let at = piece.text.indexOf('\n'); at !== -1; at = piece.text.indexOf('\n', at + 1)) {
    const lineStart = at + 1;
    text += piece.text.slice(cursor, lineStart);
    cursor = lineStart;
    if (locked.has(lineStart)) {
      newLocked.push(text.length);
      continue;
    }
    const lineEnd = piece.text.indexOf('\n', lineStart);
    const isBlank = piece.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim() === '';
    if (!isBlank && piece.text.startsWith(from, lineStart)) {
      text += to;
      cursor = lineStart + from.length;
    }
  }
  text += piece.text.slice(cursor);
  return { text, locked: newLocked };
}

// ---------------------------------------------------------------------------------------------
// Reading the parsed file

interface Comment {
  start: number;
  end: number;
  block: boolean;
}

/**
 * The start of a line (the text's start, or after a `\n`) and its tabs and spaces, when something
 * other than whitespace follows on that line (`\s` is the whitespace `String#trim` removes).
 */
const CODE_LINE_INDENT = /(?:^|\n)([\t ]*)(?=[^\S\n]*\S)/g;

/**
 * What the printer needs to know about the whole file: its comments, and the survey
 * (analysis/try-finally-survey.ts) of its values, semicolon style and stack names.
 */
class SourceFacts {
  readonly lineTerminator: string;
  /** In source order (comments never overlap, so their ends are in order too). */
  readonly comments: Comment[];
  /**
   * Where line starts keep their indentation, built on first use: a line start strictly inside
   * a block comment or a multi-line value, or the start of a line that a multi-line block
   * comment opens. As ranges, not as every locked line start: a bundle's JSDoc has tens of
   * thousands of lines, and a suggestion reads a few of them.
   */
  private locks: { starts: number[]; maxEnds: number[]; commentLines: Set<number> } | null = null;
  private readonly multilineValues: ReadonlyArray<readonly [number, number]>;
  readonly semicolons: boolean;
  readonly names: { uses: NameUse[]; bindings: NameBinding[] };
  /** Built on first use, when the nodes carry no `parent`: only a registration the detector left undecided needs it. */
  private parents: Map<AstNode, AstNode> | null = null;
  private detectedIndentUnit: string | null = null;
  private readonly program: AstNode;

  constructor(
    readonly source: string,
    file: AstNode,
    survey: FileSurvey,
  ) {
    this.lineTerminator = source.includes('\r\n') ? '\r\n' : '\n';
    const rawComments = (Array.isArray(file.comments) ? file.comments : ((file.program as AstNode | undefined)?.comments ?? [])) as AstNode[];
    const comments: Comment[] = [];
    let sorted = true;
    for (const comment of rawComments) {
      const [start, end] = rangeOf(comment);
      if (comments.length > 0 && comments[comments.length - 1]!.start > start) sorted = false;
      comments.push({ start, end, block: comment.type === 'CommentBlock' || comment.type === 'Block' });
    }
    if (!sorted) comments.sort((a, b) => a.start - b.start);
    this.comments = comments;
    this.multilineValues = survey.multilineValues;
    this.semicolons = survey.semicolons;
    this.names = { uses: survey.uses, bindings: survey.bindings };
    this.program = (file.type === 'File' ? file.program : file) as AstNode;
  }

  private lockRanges(): { starts: number[]; maxEnds: number[]; commentLines: Set<number> } {
    if (this.locks) return this.locks;
    const { source, comments } = this;
    const values = this.multilineValues;
    const starts: number[] = [];
    const maxEnds: number[] = [];
    const commentLines = new Set<number>();
    const add = (start: number, end: number): void => {
      starts.push(start);
      maxEnds.push(Math.max(end, maxEnds.length > 0 ? maxEnds[maxEnds.length - 1]! : end));
    };
    // Both lists are in source order: merge them.
    let value = 0;
    for (const comment of comments) {
      if (!comment.block) continue;
      while (value < values.length && values[value]![0] <= comment.start) add(values[value]![0], values[value++]![1]);
      add(comment.start, comment.end);
      // A multi-line comment that starts its line stays where it was as a whole, so that its
      // `*` column still lines up with its first line.
      const lineStart = source.lastIndexOf('\n', comment.start - 1) + 1;
      const newline = source.indexOf('\n', comment.start);
      if (lineStart > 0 && newline !== -1 && newline < comment.end && source.slice(lineStart, comment.start).trim() === '') {
        commentLines.add(lineStart);
      }
    }
    while (value < values.length) add(values[value]![0], values[value++]![1]);
    this.locks = { starts, maxEnds, commentLines };
    return this.locks;
  }

  /** Does the line that starts at `lineStart` keep its indentation? */
  private isLockedLine(lineStart: number): boolean {
    const { starts, maxEnds, commentLines } = this.lockRanges();
    // The last range that starts before the line: the line lies inside a range if any range up
    // to it ends after the line start.
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (starts[middle]! < lineStart) low = middle + 1;
      else high = middle;
    }
    return (low > 0 && maxEnds[low - 1]! > lineStart) || commentLines.has(lineStart);
  }

  /** The most common step between the indentation of consecutive code lines (a tab, or n spaces). */
  get indentUnit(): string {
    this.detectedIndentUnit ??= this.detectIndentUnit();
    return this.detectedIndentUnit;
  }

  /**
   * One regular expression finds each code line and its indentation (a line with something
   * other than whitespace before its `\n`, as `String#trim` counts whitespace): on a large file
   * the character-by-character scan this replaces ran uncompiled for most of its lines when the
   * rule met the file cold, and it runs for the first suggestion `prefer-using` prints there.
   */
  private detectIndentUnit(): string {
    const { source } = this;
    const counts = new Map<string, number>();
    // `isLockedLine` for lines in order: the ranges that start before the line are swept once.
    const { starts, maxEnds, commentLines } = this.lockRanges();
    let rangesBefore = 0;
    /** The indentation of the previous code line. */
    let previous = '';
    CODE_LINE_INDENT.lastIndex = 0;
    for (let match = CODE_LINE_INDENT.exec(source); match; match = CODE_LINE_INDENT.exec(source)) {
      // Only the text's first line can match empty (no `\n`, no indentation): step past it.
      if (match[0].length === 0) CODE_LINE_INDENT.lastIndex = 1;
      const lineStart = match[0].charCodeAt(0) === 10 ? match.index + 1 : match.index;
      while (rangesBefore < starts.length && starts[rangesBefore]! < lineStart) rangesBefore++;
      if ((rangesBefore > 0 && maxEnds[rangesBefore - 1]! > lineStart) || commentLines.has(lineStart)) continue;
      const indent = match[1]!;
      if (indent.length > previous.length && indent.startsWith(previous)) {
        const step = indent.slice(previous.length);
        if (step === '\t' || !step.includes('\t')) counts.set(step, (counts.get(step) ?? 0) + 1);
      }
      previous = indent;
    }
    let best = '  ';
    let bestCount = 0;
    for (const [step, count] of counts) if (count > bestCount) [best, bestCount] = [step, count];
    return best;
  }

  slice(start: number, end: number): Piece {
    const text = this.source.slice(start, end);
    const locked: number[] = [];
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      if (this.isLockedLine(start + at + 1)) locked.push(at + 1);
    }
    return { text, locked };
  }

  /** Is `offset` the first non-blank character of a line whose indentation is locked? */
  startsLockedLine(offset: number): boolean {
    return this.isLockedLine(this.source.lastIndexOf('\n', offset - 1) + 1);
  }

  /** The leading whitespace of the line that holds `offset`. */
  indentAt(offset: number): string {
    const lineStart = this.source.lastIndexOf('\n', offset - 1) + 1;
    return /^[\t ]*/.exec(this.source.slice(lineStart, offset))![0];
  }

  onSameLine(from: number, to: number): boolean {
    return !this.source.slice(from, to).includes('\n');
  }

  commentsBetween(start: number, end: number): Comment[] {
    // The comments are in order and never overlap: those inside follow each other.
    const inside: Comment[] = [];
    for (let index = this.firstCommentFrom(start); index < this.comments.length && this.comments[index]!.end <= end; index++) {
      inside.push(this.comments[index]!);
    }
    return inside;
  }

  /** The index of the first comment that starts at or after `offset` (the comments' length if none). */
  private firstCommentFrom(offset: number): number {
    let low = 0;
    let high = this.comments.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.comments[middle]!.start < offset) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /**
   * Where a statement begins together with the comment lines directly above it (no blank line
   * between): a directive such as `// @ts-expect-error` governs the line below it, so the two
   * never get separated.
   */
  commentedStart(node: AstNode): number {
    let start = rangeOf(node)[0];
    // From the last comment that ends before the node (the comments' ends are in order too).
    let low = 0;
    let high = this.comments.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.comments[middle]!.end <= start) low = middle + 1;
      else high = middle;
    }
    for (let index = low - 1; index >= 0; index--) {
      const comment = this.comments[index]!;
      const gap = this.source.slice(comment.end, start);
      const lineStart = this.source.lastIndexOf('\n', comment.start - 1) + 1;
      const ownLine = this.source.slice(lineStart, comment.start).trim() === '';
      if (gap.trim() !== '' || (gap.match(/\n/g)?.length ?? 0) > 1 || !ownLine) break;
      start = comment.start;
    }
    return start;
  }

  /** The function (or the program) whose body holds `node`. */
  scopeOf(node: AstNode): AstNode {
    // ESLint's nodes link to their parent; Babel's do not.
    const parentOf = isAstNode(node.parent) ? (child: AstNode) => child.parent as AstNode | undefined : this.parentsOf();
    let current = parentOf(node);
    while (current && !isFunction(current) && current.type !== 'Program') current = parentOf(current);
    return current ?? node;
  }

  private parentsOf(): (node: AstNode) => AstNode | undefined {
    if (!this.parents) {
      const parents = new Map<AstNode, AstNode>();
      const visit = (node: AstNode): void =>
        forEachChild(node, (child) => {
          parents.set(child, node);
          visit(child);
        });
      visit(this.program);
      this.parents = parents;
    }
    const parents = this.parents;
    return (node) => parents.get(node);
  }
}

/** Names declared with const/let/var/using anywhere in `root`: the function's own values. */
function declaredVariables(root: AstNode): Set<string> {
  const names = new Set<string>();
  const visit = (node: AstNode): void => {
    if (node.type === 'VariableDeclarator') for (const name of patternNames(node.id)) names.add(name);
    forEachChild(node, (child) => visit(child));
  };
  visit(root);
  return names;
}

// ---------------------------------------------------------------------------------------------
// The printer

/** The `finally` statement a registration comes from, with the comments that belong to it. */
interface CleanupChunk {
  registration: CleanupRegistration;
  /** Start of its first leading comment (or of the statement). */
  start: number;
  /** End of its trailing comments (or of the statement). */
  end: number;
}

/** One registration on the stack: a release of its own, or a written sequence kept as one step. */
type Step = { kind: 'release'; chunk: CleanupChunk } | { kind: 'sequence'; chunks: CleanupChunk[] };

interface Edit {
  start: number;
  end: number;
  conversion: TryConversion;
}

/** Characters that continue the previous line's expression when no semicolon ends it. */
const CONTINUES_EXPRESSION = /^[([`+\-/<]/;
/** Whitespace and comments before a statement's code. */
const LEADING_COMMENTS = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/;

// One walk per parsed file, however many sites are printed from it, and read-only once built.
// `prefer-using` prints each reported site on its own (its suggestion); walking the file again
// for each made a 20,000-line file with 13 sites cost 0.3 s.
const factsByFile = new WeakMap<AstNode, SourceFacts>();

function fileFactsOf(source: string, file: AstNode, linted: LintedFile | null): SourceFacts {
  const cached = factsByFile.get(file);
  if (cached?.source === source) return cached;
  const program = (file.type === 'File' ? file.program : file) as AstNode;
  const survey = linted ? surveyLintedFile(program, source, linted) : surveyByWalk(program, source);
  const facts = new SourceFacts(source, file, survey);
  factsByFile.set(file, facts);
  return facts;
}

class ConversionPrinter {
  private readonly facts: SourceFacts;
  private readonly edits: Edit[];
  private readonly chainOf: Map<AstNode, CleanupChain>;
  private readonly stackNames = new Map<CleanupChain, string>();
  /** Stacks already named, with the range of the scope each is declared in. */
  private readonly newBindings: NameBinding[] = [];
  private readonly scopeVariables = new Map<AstNode, Set<string>>();
  private readonly nl: string;
  private readonly semi: string;

  /** `only`: print that one site (an editor suggestion); the others stay as written. */
  constructor(
    private readonly source: string,
    file: AstNode,
    analysis: CleanupAnalysis,
    only?: CleanupChain,
    linted: LintedFile | null = null,
  ) {
    this.facts = fileFactsOf(source, file, linted);
    this.nl = this.facts.lineTerminator;
    this.semi = this.facts.semicolons ? ';' : '';
    this.chainOf = new Map(analysis.chains.flatMap((chain) => chain.members.map((member) => [member.tryStatement, chain] as const)));
    this.edits = [...analysis.conversions.values()]
      .filter((conversion) => !only || only.members.includes(conversion))
      .map((conversion) => ({
        start: conversion.foldedDeclaration ? this.facts.commentedStart(conversion.foldedDeclaration) : rangeOf(conversion.tryStatement)[0],
        end: rangeOf(conversion.tryStatement)[1],
        conversion,
      }))
      .sort((a, b) => a.start - b.start || b.end - a.end);
    // Outer sites first: an inner site sees the outer site's stack as a visible name.
    for (const edit of this.edits) this.stackName(this.chainOf.get(edit.conversion.tryStatement)!);
  }

  /** The one site's rewrite: the source range it replaces and the text that replaces it. */
  printSite(): { range: [number, number]; text: string } {
    const head = this.edits[0]!;
    return { range: [head.start, head.end], text: this.printConversion(head.conversion).text };
  }

  print(): string {
    return this.render(0, this.source.length).text;
  }

  /** The source between `start` and `end`, with every conversion inside it printed. */
  private render(start: number, end: number): Piece {
    const pieces: Piece[] = [];
    let cursor = start;
    for (const edit of this.edits) {
      if (edit.start < cursor || edit.end > end) continue;
      if (edit.start >= end) break;
      pieces.push(this.facts.slice(cursor, edit.start), this.printConversion(edit.conversion));
      cursor = edit.end;
    }
    pieces.push(this.facts.slice(cursor, end));
    return concat(...pieces);
  }

  private stackName(chain: CleanupChain): string {
    const known = this.stackNames.get(chain);
    if (known) return known;
    // `stack` unless that name is visible where the stack is declared (a binding of an
    // enclosing scope, an outer stack), or used anywhere in the scope the stack will have (it
    // would shadow that use, or put it in the stack's temporal dead zone).
    const head = chain.members[0]!;
    const [start, end] =
      head.placement === 'flatten' ? rangeOf(head.parent) : [this.editOf(head).start, rangeOf(head.tryStatement)[1]];
    const encloses = (scope: [number, number]): boolean => scope[0] <= start && end <= scope[1];
    const taken = (name: string): boolean =>
      this.facts.names.uses.some((use) => use.name === name && use.at >= start && use.at < end) ||
      this.facts.names.bindings.some((binding) => binding.name === name && encloses(binding.scope)) ||
      this.newBindings.some((binding) => binding.name === name && encloses(binding.scope));
    let name = 'stack';
    for (let suffix = 1; taken(name); suffix++) name = `stack${suffix}`;
    this.stackNames.set(chain, name);
    this.newBindings.push({ name, scope: [start, end] });
    return name;
  }

  private editOf(conversion: TryConversion): Edit {
    return this.edits.find((edit) => edit.conversion === conversion)!;
  }

  /** Does this cleanup release a value the function itself holds (`x.close()`, `closeSync(fd)`)? */
  private releasesOwnValue(registration: CleanupRegistration, tryStatement: AstNode): boolean {
    if (registration.kind !== 'defer') return true;
    // The detector's own answer, where it gives one (its lone-side-effect policy rests on it).
    const decided = (registration as { releasesResource?: unknown }).releasesResource;
    if (typeof decided === 'boolean') return decided;
    const scope = this.facts.scopeOf(tryStatement);
    let variables = this.scopeVariables.get(scope);
    if (!variables) {
      variables = declaredVariables(scope);
      this.scopeVariables.set(scope, variables);
    }
    if (registration.subject !== null && variables.has(registration.subject)) return true;
    const statement = registration.statement;
    if (statement.type !== 'ExpressionStatement') return false;
    let expression = statement.expression as AstNode;
    if (expression.type === 'AwaitExpression') expression = expression.argument as AstNode;
    if (expression.type === 'ChainExpression') expression = expression.expression as AstNode;
    if (expression.type !== 'CallExpression' && expression.type !== 'OptionalCallExpression') return false;
    return (expression.arguments as AstNode[]).some((argument) => argument.type === 'Identifier' && variables.has(String(argument.name)));
  }

  /** Splits a finally's statements into comment-carrying chunks. */
  private chunksOf(conversion: TryConversion): CleanupChunk[] {
    const finalizer = conversion.tryStatement.finalizer as AstNode;
    const [finallyStart, finallyEnd] = rangeOf(finalizer);
    const chunks: CleanupChunk[] = [];
    let boundary = finallyStart + 1;
    conversion.registrations.forEach((registration, index) => {
      const [statementStart, statementEnd] = rangeOf(registration.statement);
      const leading = this.facts.commentsBetween(boundary, statementStart);
      let end = statementEnd;
      const isLast = index === conversion.registrations.length - 1;
      for (const comment of this.facts.commentsBetween(statementEnd, finallyEnd - 1)) {
        if (isLast || this.facts.onSameLine(end, comment.start)) end = Math.max(end, comment.end);
        else break;
      }
      chunks.push({ registration, start: leading[0]?.start ?? statementStart, end });
      boundary = end;
    });
    return chunks;
  }

  private stepsOf(conversion: TryConversion, chunks: CleanupChunk[]): Step[] {
    const steps: Step[] = [];
    for (const chunk of chunks) {
      const last = steps.at(-1);
      if (this.releasesOwnValue(chunk.registration, conversion.tryStatement)) steps.push({ kind: 'release', chunk });
      else if (last?.kind === 'sequence') last.chunks.push(chunk);
      else steps.push({ kind: 'sequence', chunks: [chunk] });
    }
    return steps;
  }

  /** The statements' text at indentation `to` (first line unindented), comments included. */
  private chunkText(chunks: CleanupChunk[], from: string, to: string): Piece {
    return reindent(join(chunks.map((chunk) => this.render(chunk.start, chunk.end)), `${this.nl}${from}`), from, to);
  }

  /** `stack.defer(…)`, `stack.adopt(x, (x) => x.close())`, `stack.use(x)`: one registration. */
  private registrationCall(step: Step, chain: CleanupChain, stack: string, value: Piece | null, finallyIndent: string, indent: string): Piece {
    const chunks = step.kind === 'release' ? [step.chunk] : step.chunks;
    // The file's indent unit is read only here: finding it scans every line.
    const blockBody = (async: boolean, parameter: string): Piece => {
      const unit = this.facts.indentUnit;
      return concat(
        plain(`${async ? 'async ' : ''}(${parameter}) => {${this.nl}${indent}${unit}`),
        this.chunkText(chunks, finallyIndent, indent + unit),
        plain(`${this.nl}${indent}}`),
      );
    };
    if (step.kind === 'release' && step.chunk.registration.kind !== 'defer') {
      const registration = step.chunk.registration;
      const subject = registration.subject!;
      const target = value ?? plain(subject);
      if (registration.kind === 'dispose' && registration.awaited === chain.async) return concat(plain(`${stack}.use(`), target, plain(')'));
      const call = this.render(...rangeOf(registration.call!));
      // A sync stack ignores the callback's value; an async one awaits it, and its type must be
      // `PromiseLike<void> | void`: a block body returns nothing, whatever the call returns.
      const callback = !chain.async
        ? concat(plain(`(${subject}) => `), call)
        : concat(plain(`${registration.awaited ? 'async ' : ''}(${subject}) => { ${registration.awaited ? 'await ' : ''}`), call, plain(`${this.semi} }`));
      return concat(plain(`${stack}.adopt(`), target, plain(', '), callback, plain(')'));
    }
    const only = chunks.length === 1 ? chunks[0]!.registration : null;
    const statement = only?.statement;
    if (only && statement?.type === 'ExpressionStatement' && !chain.async && !only.awaited) {
      const expression = statement.expression as AstNode;
      if (/^(Optional)?CallExpression$|^ChainExpression$/.test(expression.type)) {
        return concat(plain(`${stack}.defer(() => `), this.render(...rangeOf(expression)), plain(')'));
      }
    }
    const async = chunks.some((chunk) => chunk.registration.awaited);
    return concat(plain(`${stack}.defer(`), blockBody(async, ''), plain(')'));
  }

  /**
   * One registration statement and the comments of its cleanup, at indentation `indent`
   * (first line unindented). In a block body the comments sit inside, directly above their
   * statement; with an expression body they go above the registration (leading) or after it
   * on its line (trailing), so a directive still governs the line that holds its code.
   */
  private registrationStatement(step: Step, chain: CleanupChain, stack: string, finallyIndent: string, indent: string): Piece {
    const call = this.registrationCall(step, chain, stack, null, finallyIndent, indent);
    // A block body already holds the statements with their comments.
    if (call.text.includes(`=> {${this.nl}`)) return concat(call, plain(this.semi));
    const chunk = step.kind === 'release' ? step.chunk : step.chunks[0]!;
    const [statementStart, statementEnd] = rangeOf(chunk.registration.statement);
    const leading = trimEndPiece(reindent(this.render(chunk.start, statementStart), finallyIndent, indent));
    const trailing = reindent(this.render(statementEnd, chunk.end), finallyIndent, indent);
    return concat(leading, plain(leading.text ? `${this.nl}${indent}` : ''), call, plain(this.semi), trailing);
  }

  private printConversion(conversion: TryConversion): Piece {
    const { tryStatement, foldedDeclaration: fold } = conversion;
    const chain = this.chainOf.get(tryStatement)!;
    const stack = this.stackName(chain);
    const nl = this.nl;
    const [tryStart, tryEnd] = rangeOf(tryStatement);
    const block = tryStatement.block as AstNode;
    const [blockStart, blockEnd] = rangeOf(block);
    const finalizer = tryStatement.finalizer as AstNode;
    const foldStart = fold ? this.facts.commentedStart(fold) : tryStart;
    const tryIndent = this.facts.indentAt(foldStart);

    // The try body's own indentation (the step a block adds in this file, at this place).
    const bodyFirst = this.source.slice(blockStart + 1, blockEnd - 1).search(/\S/);
    const bodyStart = bodyFirst === -1 ? -1 : blockStart + 1 + bodyFirst;
    const bodyOnOwnLine = bodyStart !== -1 && !this.facts.onSameLine(blockStart, bodyStart);
    const bodyIndent = bodyOnOwnLine ? this.facts.indentAt(bodyStart) : tryIndent + this.facts.indentUnit;
    const unit = bodyIndent.startsWith(tryIndent) && bodyIndent.length > tryIndent.length ? bodyIndent.slice(tryIndent.length) : this.facts.indentUnit;
    const isBlock = conversion.placement === 'block';
    const indent = isBlock ? tryIndent + unit : tryIndent;

    const chunks = this.chunksOf(conversion);
    const firstCleanup = rangeOf(conversion.registrations[0]!.statement)[0];
    const finallyIndent = this.facts.onSameLine(rangeOf(finalizer)[0], firstCleanup) ? tryIndent + unit : this.facts.indentAt(firstCleanup);
    /** `indent`: where the statement's first line starts when it must keep its own (a locked line). */
    const statements: Array<{ piece: Piece; generated: boolean; indent?: string }> = [];
    const rendered: Array<[number, number]> = chunks.map((chunk) => [chunk.start, chunk.end]);

    if (tryStatement === conversion.chainHead && chain.needsStack) {
      const stackClass = chain.async ? 'AsyncDisposableStack' : 'DisposableStack';
      statements.push({ piece: plain(`${chain.async ? 'await using' : 'using'} ${stack} = new ${stackClass}()${this.semi}`), generated: true });
    }

    if (fold) {
      const registration = conversion.registrations[0]!;
      const chunk = chunks[0]!;
      const [statementStart, statementEnd] = rangeOf(registration.statement);
      // The cleanup's comments go above the declaration that now registers it.
      const comments = [
        trimEndPiece(reindent(this.render(chunk.start, statementStart), finallyIndent, indent)),
        trimEndPiece(reindent(this.render(statementEnd, chunk.end), finallyIndent, indent)),
      ]
        .map((piece) => ({ ...piece, text: piece.text.trimStart() }))
        .filter((piece) => piece.text !== '');
      for (const piece of comments) statements.push({ piece, generated: false });
      const [declarationStart, declarationEnd] = rangeOf(fold);
      const declarator = (fold.declarations as AstNode[])[0]!;
      const [initStart, initEnd] = rangeOf(declarator.init as AstNode);
      let declaration: Piece;
      if (!chain.needsStack) {
        const keyword = String(fold.kind);
        declaration = concat(
          this.render(foldStart, declarationStart),
          plain(registration.awaited ? 'await using' : 'using'),
          this.render(declarationStart + keyword.length, declarationEnd),
        );
      } else {
        const init = this.render(initStart, initEnd);
        const step: Step = { kind: 'release', chunk };
        declaration = concat(
          this.render(foldStart, initStart),
          this.registrationCall(step, chain, stack, init, finallyIndent, tryIndent),
          this.render(initEnd, declarationEnd),
        );
      }
      // What stood between the declaration and the try (a trailing note, a comment line) follows it.
      const between = trimEndPiece(concat(declaration, this.render(declarationEnd, tryStart)));
      statements.push({ piece: reindent(between, tryIndent, indent), generated: false });
    } else {
      const steps = this.stepsOf(conversion, chunks);
      // Registrations run last-registered-first: register the steps in reverse.
      for (const step of steps.reverse()) {
        statements.push({ piece: this.registrationStatement(step, chain, stack, finallyIndent, indent), generated: true });
      }
    }

    if (isAstNode(tryStatement.handler)) {
      // The try/catch stays; only its finally goes.
      const handlerEnd = rangeOf(tryStatement.handler)[1];
      rendered.push([tryStart, handlerEnd]);
      statements.push({ piece: reindent(this.render(tryStart, handlerEnd), tryIndent, indent), generated: false });
    } else if (conversion.spliceBody) {
      if (bodyStart !== -1) {
        const bodyEnd = blockStart + 1 + this.source.slice(blockStart + 1, blockEnd - 1).trimEnd().length;
        rendered.push([bodyStart, bodyEnd]);
        const keepsIndent = bodyOnOwnLine && this.facts.startsLockedLine(bodyStart);
        statements.push({ piece: reindent(this.render(bodyStart, bodyEnd), bodyIndent, indent), generated: false, ...(keepsIndent ? { indent: bodyIndent } : {}) });
      }
    } else {
      rendered.push([blockStart, blockEnd]);
      statements.push({ piece: reindent(this.render(blockStart, blockEnd), tryIndent, indent), generated: false });
    }

    // A comment in the try's own syntax (`try /* … */ {`, `} /* … */ finally {`) is kept, above.
    const orphans = this.facts
      .commentsBetween(tryStart, tryEnd)
      .filter((comment) => !rendered.some(([start, end]) => comment.start >= start && comment.end <= end))
      .map((comment) => ({ piece: this.facts.slice(comment.start, comment.end), generated: false }));
    const firstKept = fold ? 0 : statements.findIndex((statement) => statement.generated && !statement.piece.text.startsWith('using') && !statement.piece.text.startsWith('await using'));
    statements.splice(firstKept === -1 ? statements.length : firstKept, 0, ...orphans);

    // Without semicolons, a new line followed by one starting with `(`, `[`, `` ` ``… would join it.
    // Comments join nothing: what counts is the code after them (undici's docs/examples begin
    // a try body with `// …`, which is no regular expression).
    const nextCode = (index: number): string => {
      for (const { piece } of statements.slice(index + 1)) {
        const code = piece.text.replace(LEADING_COMMENTS, '');
        if (code) return code;
      }
      return '';
    };
    const lines = statements.map(({ piece, generated }, index) =>
      generated && this.semi === '' && CONTINUES_EXPRESSION.test(nextCode(index)) ? concat(piece, plain(';')) : piece,
    );
    const body = concat(...lines.map((line, index) => (index === 0 ? line : concat(plain(`${nl}${statements[index]!.indent ?? indent}`), line))));
    if (!isBlock) return body;
    if (lines.length === 0) return plain('{}');
    return concat(plain(`{${nl}${indent}`), body, plain(`${nl}${tryIndent}}`));
  }
}

/**
 * Rewrites every convertible try/finally cleanup of `source`. Pure; chooses the parser from
 * `filePath`'s extension. Throws (naming the file and line:column) when the source does not parse.
 */
export function transformSource(source: string, filePath: string, options: TransformOptions = {}): TransformResult {
  // A try/finally cannot be written without the word: most files never need a parse.
  if (!source.includes('finally')) return { output: source, changed: false, converted: [], refused: [] };
  let file: AstNode;
  try {
    // The shared parser options, without the token list: it cost more than the rest of the
    // rewrite on large files, and the printer needs only node ranges and comments.
    file = babelParse(source, { ...parserOptionsFor(dialectForPath(filePath), filePath), tokens: false }) as unknown as AstNode;
  } catch (error) {
    throw asParseError(error, filePath);
  }
  const policy = cleanupPolicyFor({ allSites: options.allSites, filePath, comments: (file.comments as unknown[] | undefined) ?? [] });
  const analysis = analyzeTryFinallyCleanups(file, policy);
  if (analysis.chains.length === 0) {
    return { output: source, changed: false, converted: [], refused: analysis.refusals };
  }
  const output = new ConversionPrinter(source, file, analysis).print();
  return {
    output,
    changed: output !== source,
    converted: analysis.chains.map(({ line, column }) => ({ line, column })),
    refused: analysis.refusals,
  };
}

/**
 * The rewrite of one site, as an editor suggestion offers it: the source range to replace and
 * its replacement. `file` and `analysis` are the parse of `source` and its detector result
 * (Babel's AST or ESLint's; the printer reads only node types, ranges and comments). Applying
 * every site's rewrite one after another, outer sites first, gives `transformSource`'s output.
 * `linted`: what ESLint holds for the file (its tokens, scopes and visitor keys), when ESLint
 * parsed it: the printer then reads those instead of walking the whole file.
 */
export function rewriteCleanupSite(
  source: string,
  file: AstNode,
  analysis: CleanupAnalysis,
  chain: CleanupChain,
  linted: LintedFile | null = null,
): { range: [number, number]; text: string } {
  return new ConversionPrinter(source, file, analysis, chain, linted).printSite();
}
