import jscodeshift from 'jscodeshift';
import type { API, FileInfo } from 'jscodeshift';

import {
  analyzeTryFinallyCleanups,
  isAstNode,
  type AstNode,
  type CleanupChain,
  type CleanupRegistration,
  type Refusal,
  type RefusalReason,
  type SiteLocation,
  type SourceComment,
  type TryConversion,
} from '../analysis/try-finally-cleanup.js';
import { asParseError, dialectForPath, parseForCleanupAnalysis, sourceParserFor } from '../analysis/try-finally-parse.js';

// Rewrites hand-written try/finally cleanups into `using` / DisposableStack. Every decision
// (what converts, how each cleanup registers, which tries share a stack) comes from the shared
// detector in analysis/try-finally-cleanup.ts, which the rule `ctx/prefer-using` also runs;
// this file only prints those decisions. See docs/codemods/try-finally-to-using.md.

export type { Refusal, RefusalReason, SiteLocation };
export { refusalReasons } from '../analysis/try-finally-cleanup.js';

export interface TransformOptions {
  /** Also convert sites whose only cleanup is a side effect (refused as `lone-side-effect` by default). */
  allSites?: boolean;
}

export interface TransformResult {
  /** The new source; equal to the input when nothing changed. */
  output: string;
  changed: boolean;
  converted: SiteLocation[];
  refused: Refusal[];
}

// jscodeshift's builders produce ast-types nodes; the detector reads the same objects
// structurally. These helpers keep the one cast between the two views in one place.
const j = jscodeshift;
type Built = ReturnType<typeof j.identifier>;
const asAst = (node: unknown): AstNode => node as AstNode;
// ast-types builders check their arguments at run time; their static types are narrower than
// the Babel nodes we hand back to them, so the reused nodes pass through `never`.
const reuse = (node: AstNode): never => node as never;

interface PrintContext {
  stackName: string;
  chain: CleanupChain;
}

function stackMember(context: PrintContext, method: 'use' | 'adopt' | 'defer'): ReturnType<typeof j.memberExpression> {
  return j.memberExpression(j.identifier(context.stackName), j.identifier(method));
}

function stackDeclaration(context: PrintContext): AstNode {
  const stackClass = context.chain.async ? 'AsyncDisposableStack' : 'DisposableStack';
  return asAst(
    j.variableDeclaration(context.chain.async ? ('await using' as never) : ('using' as never), [
      j.variableDeclarator(j.identifier(context.stackName), j.newExpression(j.identifier(stackClass), [])),
    ]),
  );
}

/** `stack.use(x)` runs exactly the disposer the finally called only in these two cases. */
function useMatchesCleanup(registration: CleanupRegistration, chain: CleanupChain): boolean {
  // A sync `x[Symbol.dispose]()` on an AsyncDisposableStack would prefer x[Symbol.asyncDispose].
  return registration.kind === 'dispose' && registration.awaited === chain.async;
}

/** `(x) => x.close()`; a block body when the stack is async and the cleanup was not awaited. */
function adoptCallback(registration: CleanupRegistration, chain: CleanupChain): Built {
  const call = reuse(registration.call!);
  const body = chain.async && !registration.awaited ? j.blockStatement([j.expressionStatement(call)]) : call;
  return j.arrowFunctionExpression([j.identifier(registration.subject!)], body) as never;
}

/** `() => release()`, `() => { busy = false; }`, `async () => { if (x) await x.end(); }`. */
function deferCallback(registration: CleanupRegistration, chain: CleanupChain): Built {
  const statement = registration.statement;
  if (statement.type === 'ExpressionStatement') {
    const expression = statement.expression as AstNode;
    if (expression.type === 'AwaitExpression' && chain.async) {
      return j.arrowFunctionExpression([], reuse(expression.argument as AstNode)) as never;
    }
    const isCall = expression.type === 'CallExpression' || expression.type === 'OptionalCallExpression';
    if (isCall && !chain.async && !registration.awaited) return j.arrowFunctionExpression([], reuse(expression)) as never;
  }
  const callback = j.arrowFunctionExpression([], j.blockStatement([reuse(statement)]));
  callback.async = registration.awaited;
  return callback as never;
}

function registrationExpression(registration: CleanupRegistration, context: PrintContext, value: AstNode | null): Built {
  const { chain } = context;
  const target = value ?? asAst(j.identifier(registration.subject ?? ''));
  if (registration.kind === 'dispose' && useMatchesCleanup(registration, chain)) {
    return j.callExpression(stackMember(context, 'use'), [reuse(target)]) as never;
  }
  if (registration.kind === 'adopt' || registration.kind === 'dispose') {
    return j.callExpression(stackMember(context, 'adopt'), [reuse(target), adoptCallback(registration, chain)]) as never;
  }
  return j.callExpression(stackMember(context, 'defer'), [deferCallback(registration, chain)]) as never;
}

/** Moves a node's comments to `to` (the statement that now stands where it stood). */
function moveComments(
  from: AstNode,
  to: AstNode | undefined,
  which: 'leading' | 'trailing' | 'all' | 'append' = 'all',
): void {
  const comments = Array.isArray(from.comments) ? (from.comments as Array<{ leading?: boolean; trailing?: boolean }>) : [];
  const moving = comments.filter(
    (comment) => which === 'all' || which === 'append' || (which === 'leading' ? comment.leading : comment.trailing),
  );
  if (moving.length === 0 || !to) return;
  from.comments = comments.filter((comment) => !moving.includes(comment));
  const existing = Array.isArray(to.comments) ? (to.comments as unknown[]) : [];
  to.comments = which === 'trailing' || which === 'append' ? [...existing, ...moving] : [...moving, ...existing];
}

function applyConversion(conversion: TryConversion, context: PrintContext): void {
  const { tryStatement, parent, parentKey, foldedDeclaration } = conversion;
  const { chain } = context;
  const isHead = conversion.chainHead === tryStatement;
  const declareStack = isHead && chain.needsStack;

  // Registrations run last-registered-first: register the finally's statements in reverse.
  const registrationStatements: AstNode[] = [];
  for (const registration of [...conversion.registrations].reverse()) {
    if (foldedDeclaration) continue; // the single registration goes into the declaration
    const statement = asAst(j.expressionStatement(registrationExpression(registration, context, null)));
    moveComments(registration.statement, statement);
    registrationStatements.push(statement);
  }
  if (foldedDeclaration) {
    const registration = conversion.registrations[0]!;
    // The comment that explained the release now sits on the declaration that registers it.
    moveComments(registration.statement, foldedDeclaration, 'append');
    const declarator = (foldedDeclaration.declarations as AstNode[])[0]!;
    if (!chain.needsStack) {
      foldedDeclaration.kind = registration.awaited ? 'await using' : 'using';
    } else {
      declarator.init = registrationExpression(registration, context, declarator.init as AstNode);
    }
  }

  const handlerKept = isAstNode(tryStatement.handler);
  let tail: AstNode[];
  if (handlerKept) {
    tryStatement.finalizer = null;
    tail = [tryStatement];
  } else {
    tail = conversion.spliceBody ? [...((tryStatement.block as AstNode).body as AstNode[])] : [tryStatement.block as AstNode];
  }
  const stackStatements = declareStack ? [stackDeclaration(context)] : [];
  const siblings = Array.isArray(parent[parentKey]) ? (parent[parentKey] as AstNode[]) : null;

  if (conversion.placement === 'flatten' && siblings) {
    let index = siblings.indexOf(tryStatement);
    if (foldedDeclaration && declareStack) {
      siblings.splice(index - 1, 0, ...stackStatements);
      index += stackStatements.length;
    }
    const replacement = [...(foldedDeclaration ? [] : stackStatements), ...registrationStatements, ...tail];
    const leadingTarget = replacement.find((node) => node !== tryStatement) ?? foldedDeclaration ?? undefined;
    if (leadingTarget) moveComments(tryStatement, leadingTarget, 'leading');
    moveComments(tryStatement, replacement.at(-1) ?? foldedDeclaration ?? undefined, 'trailing');
    siblings.splice(index, 1, ...replacement);
    return;
  }

  const blockBody = [...stackStatements];
  if (foldedDeclaration && siblings) {
    siblings.splice(siblings.indexOf(foldedDeclaration), 1);
    blockBody.push(foldedDeclaration);
  }
  blockBody.push(...registrationStatements, ...tail);
  const replacementBlock = asAst(j.blockStatement(blockBody as never[]));
  moveComments(tryStatement, replacementBlock, 'all');
  // A declaration moved into the block leaves its leading comments (a file header, a note
  // about the resource) above the block, where they were.
  if (foldedDeclaration) moveComments(foldedDeclaration, replacementBlock, 'leading');
  if (siblings) siblings.splice(siblings.indexOf(tryStatement), 1, replacementBlock);
  else parent[parentKey] = replacementBlock;
}

/**
 * recast reprints a changed Program's directives from their original text, which already ends
 * in `;`, and then adds its own (`'use strict';;`). Fresh directive nodes that keep the raw
 * quote style print once.
 */
function reprintableDirectives(program: AstNode): void {
  if (!Array.isArray(program.directives)) return;
  program.directives = (program.directives as AstNode[]).map((directive) => {
    const literal = directive.value as AstNode;
    const fresh = asAst(j.directive(j.directiveLiteral(String(literal.value))));
    (fresh.value as AstNode).extra = literal.extra;
    fresh.comments = directive.comments;
    return fresh;
  });
}

/** Does the file indent with tabs (more lines start with a tab than with two spaces)? */
function indentsWithTabs(source: string): boolean {
  const tabbed = source.match(/^\t/gm)?.length ?? 0;
  const spaced = source.match(/^ {2}/gm)?.length ?? 0;
  return tabbed > spaced;
}

const TAB_WIDTH = 4;
/** recast's default `tabWidth`, used when jscodeshift parses without options (as here). */
const RECAST_PARSE_TAB_WIDTH = 4;

/**
 * recast's `useTabs` still starts some printed lines with spaces (`    {`, `\t    using …`).
 * In a tab-indented file, the lines recast printed (those that are not lines of the original
 * source) get their leading columns rewritten as tabs; original lines are left exactly as they
 * were, template literal contents included.
 */
function retabPrintedLines(printed: string, source: string, lineTerminator: string): string {
  const originalLines = new Set(source.split(lineTerminator));
  return printed
    .split(lineTerminator)
    .map((line) => {
      if (originalLines.has(line)) return line;
      const indent = /^[\t ]*/.exec(line)![0];
      let columns = 0;
      for (const char of indent) columns = char === '\t' ? columns - (columns % TAB_WIDTH) + TAB_WIDTH : columns + 1;
      return '\t'.repeat(Math.floor(columns / TAB_WIDTH)) + ' '.repeat(columns % TAB_WIDTH) + line.slice(indent.length);
    })
    .join(lineTerminator);
}

/** A stack name not used anywhere in the file, so no generated name can capture or shadow one. */
function freshStackName(source: string): string {
  const taken = (name: string): boolean => new RegExp(`\\b${name}\\b`).test(source);
  if (!taken('stack')) return 'stack';
  for (let suffix = 1; ; suffix++) if (!taken(`stack${suffix}`)) return `stack${suffix}`;
}

/**
 * Rewrites every convertible try/finally cleanup of `source`. Pure; chooses the parser from
 * `filePath`'s extension. Throws (naming the file and line:column) when the source does not parse.
 */
export function transformSource(source: string, filePath: string, options: TransformOptions = {}): TransformResult {
  // Most files have nothing to rewrite: decide on a plain Babel parse (several times faster
  // than recast's) and pay for recast only when a site converts. A file that does not parse
  // still throws here.
  const surveyFile = parseForCleanupAnalysis(source, filePath) as unknown as AstNode;
  const policy = {
    allSites: options.allSites === true,
    typescript: dialectForPath(filePath) !== 'babel',
    // recast moves comments onto nodes; the plain parse keeps the file's list for the skip comment.
    comments: (surveyFile.comments as SourceComment[] | undefined) ?? [],
  };
  const survey = analyzeTryFinallyCleanups(surveyFile, policy);
  if (survey.chains.length === 0) {
    return { output: source, changed: false, converted: [], refused: survey.refusals };
  }

  const parse = jscodeshift.withParser(sourceParserFor(filePath));
  let root: ReturnType<typeof parse>;
  try {
    root = parse(source);
  } catch (error) {
    throw asParseError(error, filePath);
  }
  const file = asAst(root.get().node);
  const analysis = analyzeTryFinallyCleanups(file, { ...policy, recastSource: { text: source, tabWidth: RECAST_PARSE_TAB_WIDTH } });
  if (analysis.chains.length === 0) {
    return { output: source, changed: false, converted: [], refused: analysis.refusals };
  }

  const stackName = freshStackName(source);
  const chainOf = new Map(analysis.chains.map((chain) => [chain.head, chain]));
  // Innermost and last first: a nested try is spliced into its parent's body before that
  // parent moves, and every parent list is still intact when its try is printed.
  for (const conversion of [...analysis.conversions.values()].reverse()) {
    applyConversion(conversion, { stackName, chain: chainOf.get(conversion.chainHead)! });
  }
  if ([...analysis.conversions.values()].some((conversion) => conversion.parent.type === 'Program')) {
    reprintableDirectives(asAst(file.program));
  }
  const useTabs = indentsWithTabs(source);
  const lineTerminator = source.includes('\r\n') ? '\r\n' : '\n';
  // Without `tabWidth`, recast guesses the file's own indentation width; with tabs it needs one.
  const printed = root.toSource({ arrowParensAlways: true, lineTerminator, ...(useTabs ? { useTabs, tabWidth: TAB_WIDTH } : {}) });
  const output = useTabs ? retabPrintedLines(printed, source, lineTerminator) : printed;
  return {
    output,
    changed: output !== source,
    converted: analysis.chains.map(({ line, column }) => ({ line, column })),
    refused: analysis.refusals,
  };
}

/** The jscodeshift entry point: `jscodeshift -t dist/codemods/try-finally-to-using.js`. */
export default function transform(file: FileInfo, _api: API, options?: Record<string, unknown>): string | undefined {
  // jscodeshift passes its unknown command-line flags through: `--allSites` or `--all-sites`.
  const allSites = options?.allSites === true || options?.['all-sites'] === true;
  const result = transformSource(file.source, file.path, { allSites });
  return result.changed ? result.output : undefined;
}
