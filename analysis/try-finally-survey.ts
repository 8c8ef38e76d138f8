// The whole-file facts the try/finally printer (analysis/try-finally-rewrite.ts) needs besides the
// site it prints: which line starts lie inside a value (their indentation is part of a string),
// whether the file ends its statements with semicolons, and where the names a new stack could
// take (`stack`, `stack1`, …) are used or bound.
//
// Two ways to the same facts:
// - `surveyByWalk` walks every node: the codemod's way, on its Babel AST.
// - `surveyLintedFile` reads what ESLint already holds for a file it lints (its token list, its
//   scopes, parent links on every node) and looks only at the few tokens that can matter. It is
//   what `ctx/prefer-using` uses for its suggestions: the walk was most of the rule's cost on
//   large files. Where the tokens and the tree do not line up as expected it falls back to
//   the walk, so both give the same survey (tests/analysis/try-finally-survey.test.ts).

import { childKeysOf, forEachChild, isAstNode, isFunction, type AstNode, type ChildKeys } from './try-finally-ast-shape.js';

export interface NameUse {
  name: string;
  /** Where the name appears (a reference or a binding). */
  at: number;
}

export interface NameBinding {
  name: string;
  /** The range of the scope the binding lives in. */
  scope: [number, number];
}

export interface FileSurvey {
  /** Ranges of the value tokens (strings, template literals, regular expressions) that span lines. */
  multilineValues: Array<[number, number]>;
  /** Most statements that can end with a semicolon do. */
  semicolons: boolean;
  /** Every identifier that may denote a stack name (not `o.stack`, not `{ stack: … }`). */
  uses: NameUse[];
  /** Every binding of a stack name, with the range of its scope. */
  bindings: NameBinding[];
}

/** Node range for a Babel node (`start`/`end`) or a TS-ESTree node (`range`). */
export function rangeOf(node: AstNode): [number, number] {
  if (Array.isArray(node.range)) return node.range as [number, number];
  return [node.start as number, node.end as number];
}

/** Literal tokens whose text is a value: a line starting inside one is never re-indented. */
function isValueToken(node: AstNode): boolean {
  switch (node.type) {
    case 'StringLiteral':
    case 'DirectiveLiteral':
    case 'RegExpLiteral':
    case 'TemplateLiteral':
      return true;
    case 'Literal':
      return typeof node.value === 'string' || isAstNode(node.regex) || typeof node.regex === 'object';
    default:
      return false;
  }
}

const STATEMENTS_WITH_SEMICOLONS = new Set([
  'ExpressionStatement',
  'VariableDeclaration',
  'ReturnStatement',
  'ThrowStatement',
  'BreakStatement',
  'ContinueStatement',
]);

/** A statement that counts for the semicolon style (a for-loop's head or bodiless body does not). */
const countsForSemicolons = (node: AstNode, parent: AstNode | null): boolean =>
  STATEMENTS_WITH_SEMICOLONS.has(node.type) && !(parent && /^For/.test(parent.type));

/** The names a new stack may take (`stack`, `stack1`, …): the only names the printer indexes. */
const STACK_NAME = /^stack\d*$/;
const isStackName = (name: string): boolean => name.startsWith('stack') && STACK_NAME.test(name);

const BLOCK_SCOPES = new Set(['BlockStatement', 'Program', 'StaticBlock', 'SwitchStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'TSModuleBlock']);

/** Names bound by a binding pattern (`x`, `{ a, b: [c] }`, `...rest`, `x = 1`, a TS parameter property). */
export function patternNames(pattern: unknown, out: string[] = []): string[] {
  if (!isAstNode(pattern)) return out;
  if (pattern.type === 'Identifier') out.push(String(pattern.name));
  else if (pattern.type === 'ObjectPattern') {
    for (const property of pattern.properties as AstNode[]) patternNames(property.type === 'RestElement' ? property.argument : property.value, out);
  } else if (pattern.type === 'ArrayPattern') for (const element of pattern.elements as unknown[]) patternNames(element, out);
  else if (pattern.type === 'RestElement') patternNames(pattern.argument, out);
  else if (pattern.type === 'AssignmentPattern') patternNames(pattern.left, out);
  else if (pattern.type === 'TSParameterProperty') patternNames(pattern.parameter, out);
  return out;
}

/** An identifier that is a name (a reference or a binding), not a non-computed property name. */
function isNameOccurrence(node: AstNode, parent: AstNode | null, key: string | null): boolean {
  const isPropertyName =
    parent !== null &&
    parent.computed !== true &&
    ((key === 'property' && /MemberExpression$/.test(parent.type)) ||
      (key === 'key' && /Property|Method/.test(parent.type) && parent.shorthand !== true));
  return !isPropertyName;
}

// ---------------------------------------------------------------------------------------------
// Walking every node

/** The survey by one walk over every node of `program` (through `childKeys` when given). */
export function surveyByWalk(program: AstNode, source: string, childKeys: ChildKeys | null = null): FileSurvey {
  const survey: FileSurvey = { multilineValues: [], semicolons: true, uses: [], bindings: [] };
  let withSemicolon = 0;
  let without = 0;
  /** The nodes above the one being visited, the Program first. */
  const ancestors: AstNode[] = [];
  const nearest = (test: (node: AstNode) => boolean): AstNode => {
    for (let index = ancestors.length - 1; index >= 0; index--) if (test(ancestors[index]!)) return ancestors[index]!;
    return program;
  };
  const bind = (pattern: unknown, scopeOf: () => AstNode): void => {
    for (const name of patternNames(pattern)) if (isStackName(name)) survey.bindings.push({ name, scope: rangeOf(scopeOf()) });
  };
  const visit = (node: AstNode, key: string | null): void => {
    const parent = ancestors.length > 0 ? ancestors[ancestors.length - 1]! : null;
    if (isValueToken(node)) {
      const [start, end] = rangeOf(node);
      const newline = source.indexOf('\n', start);
      if (newline !== -1 && newline + 1 < end) survey.multilineValues.push([start, end]);
    } else if (countsForSemicolons(node, parent)) {
      if (source[rangeOf(node)[1] - 1] === ';') withSemicolon += 1;
      else without += 1;
    }
    if (node.type === 'Identifier') {
      const name = String(node.name);
      if (isStackName(name) && isNameOccurrence(node, parent, key)) survey.uses.push({ name, at: rangeOf(node)[0] });
    } else if (node.type === 'VariableDeclaration') {
      const scopeOf = (): AstNode => (node.kind === 'var' ? nearest(isFunction) : nearest((ancestor) => BLOCK_SCOPES.has(ancestor.type)));
      for (const declarator of node.declarations as AstNode[]) bind(declarator.id, scopeOf);
    } else if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && isAstNode(node.id)) {
      bind(node.id, () => nearest((ancestor) => BLOCK_SCOPES.has(ancestor.type) || isFunction(ancestor)));
    } else if (node.type === 'CatchClause' && isAstNode(node.param)) {
      bind(node.param, () => node);
    } else if (node.type === 'ImportDeclaration') {
      for (const specifier of node.specifiers as AstNode[]) bind(specifier.local, () => program);
    }
    if (isFunction(node)) for (const param of (node.params as AstNode[] | undefined) ?? []) bind(param, () => node);
    ancestors.push(node);
    forEachChild(node, visit, childKeys);
    ancestors.pop();
  };
  visit(program, null);
  survey.semicolons = withSemicolon >= without;
  return survey;
}

// ---------------------------------------------------------------------------------------------
// Reading what ESLint holds

/** A token as ESLint lists it (`sourceCode.ast.tokens`). */
export interface LintToken {
  type: string;
  value: string;
  range: [number, number];
}

/** What ESLint holds for a file it lints. Every node of `program` carries its `parent`. */
export interface LintedFile {
  /** Every token of the file, in source order, comments excluded. */
  tokens: readonly LintToken[];
  /** The scopes of the file (`sourceCode.scopeManager.scopes`): each names its kind and its node. */
  scopes: readonly { type: string; block: object }[];
  /** The parser's visitor keys (`sourceCode.visitorKeys`). */
  childKeys: ChildKeys;
}

/** The tokens and the tree disagree with what the survey expects: walk instead. */
class Unexpected extends Error {}

const parentOf = (node: AstNode): AstNode | null => (isAstNode(node.parent) ? node.parent : null);

/** The nearest node above `node` that passes `test`, else the program (the walk's `nearest`). */
function nearestAbove(node: AstNode, test: (node: AstNode) => boolean, program: AstNode): AstNode {
  for (let current = parentOf(node); current; current = parentOf(current)) if (test(current)) return current;
  return program;
}

/**
 * Every occurrence of a node that starts at `at` and passes `wanted`, with the parent and the key
 * it is held under, found by descending only into the children whose range holds `at`.
 */
function occurrencesAt(
  program: AstNode,
  at: number,
  wanted: (node: AstNode) => boolean,
  childKeys: ChildKeys,
): Array<{ node: AstNode; parent: AstNode | null; key: string | null }> {
  const found: Array<{ node: AstNode; parent: AstNode | null; key: string | null }> = [];
  const descend = (node: AstNode, parent: AstNode | null, key: string | null): void => {
    const [start, end] = rangeOf(node);
    if (at < start || at >= end) return;
    if (start === at && wanted(node)) found.push({ node, parent, key });
    for (const childKey of childKeysOf(node, childKeys)) {
      const value = node[childKey];
      // A statement list of thousands (a bundle's program) is searched, not read, for each name.
      const child = Array.isArray(value) ? itemHolding(value, at) : value;
      if (isAstNode(child)) descend(child, node, childKey);
    }
  };
  descend(program, null, null);
  return found;
}

/**
 * The item of a node list whose range holds `at`. A list's items follow each other in the source
 * without overlapping, so a binary search finds it; a list with holes (`[a, , b]`) is read in full.
 */
function itemHolding(items: readonly unknown[], at: number): AstNode | null {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const item = items[middle];
    if (!isAstNode(item)) {
      return (items.find((candidate) => isAstNode(candidate) && rangeOf(candidate)[0] <= at && at < rangeOf(candidate)[1]) as AstNode | undefined) ?? null;
    }
    const [start, end] = rangeOf(item);
    if (end <= at) low = middle + 1;
    else if (start > at) high = middle - 1;
    else return item;
  }
  return null;
}

/**
 * The scope a binding identifier lives in, as the walk records it (the declaration it belongs to,
 * reached through the binding patterns `patternNames` reads); null when it binds nothing.
 */
function bindingScopeOf(id: AstNode, program: AstNode): AstNode | null {
  let node = id;
  for (let parent = parentOf(node); parent; parent = parentOf(node)) {
    const grandparent = parentOf(parent);
    if (parent.type === 'Property' && parent.value === node && grandparent?.type === 'ObjectPattern') node = grandparent;
    else if (parent.type === 'RestElement' && parent.argument === node) node = parent;
    else if (parent.type === 'ObjectPattern' && node.type === 'RestElement') node = parent;
    else if (parent.type === 'ArrayPattern') node = parent;
    else if (parent.type === 'AssignmentPattern' && parent.left === node) node = parent;
    else if (parent.type === 'TSParameterProperty' && parent.parameter === node) node = parent;
    else break;
  }
  const holder = parentOf(node);
  if (!holder) return null;
  const declaration = parentOf(holder);
  if (holder.type === 'VariableDeclarator' && holder.id === node && declaration?.type === 'VariableDeclaration') {
    return declaration.kind === 'var'
      ? nearestAbove(declaration, isFunction, program)
      : nearestAbove(declaration, (ancestor) => BLOCK_SCOPES.has(ancestor.type), program);
  }
  if ((holder.type === 'FunctionDeclaration' || holder.type === 'ClassDeclaration') && holder.id === node && node === id) {
    return nearestAbove(holder, (ancestor) => BLOCK_SCOPES.has(ancestor.type) || isFunction(ancestor), program);
  }
  if (holder.type === 'CatchClause' && holder.param === node) return holder;
  if (holder.local === node && node === id && declaration?.type === 'ImportDeclaration') return program;
  if (isFunction(holder) && Array.isArray(holder.params) && holder.params.includes(node)) return holder;
  return null;
}

/**
 * The children of a statement that can hold statements, by statement type. Functions and classes
 * are not entered (each function and static block is a scope of its own), nor is any expression.
 */
const STATEMENT_CHILD_KEYS: Readonly<Record<string, readonly string[]>> = {
  Program: ['body'],
  BlockStatement: ['body'],
  StaticBlock: ['body'],
  TSModuleBlock: ['body'],
  TSModuleDeclaration: ['body'],
  SwitchStatement: ['cases'],
  SwitchCase: ['consequent'],
  IfStatement: ['consequent', 'alternate'],
  LabeledStatement: ['body'],
  WithStatement: ['body'],
  WhileStatement: ['body'],
  DoWhileStatement: ['body'],
  ForStatement: ['init', 'body'],
  ForInStatement: ['left', 'body'],
  ForOfStatement: ['left', 'body'],
  TryStatement: ['block', 'handler', 'finalizer'],
  CatchClause: ['body'],
  ExportNamedDeclaration: ['declaration'],
  ExportDefaultDeclaration: ['declaration'],
};

/**
 * The survey from ESLint's token list and scopes: the semicolon style from the statements of each
 * function, static block and the program (no expression is entered: every function has its own
 * scope), and values and names from the few tokens that can be one, found by searching the text
 * and then the token list (reading every token's type was most of this on large files).
 */
export function surveyLintedFile(program: AstNode, source: string, linted: LintedFile): FileSurvey {
  try {
    return surveyFromTokens(program, source, linted);
  } catch (error) {
    if (error instanceof Unexpected) return surveyByWalk(program, source, linted.childKeys);
    throw error;
  }
}

/**
 * Finds the tokens at offsets that never decrease (each search below reads the text's matches in
 * order): a search gallops forward from the previous token, instead of bisecting the whole list
 * (a bundle has thousands of backticks, and each bisection of its token list missed the cache).
 */
class TokenCursor {
  /** Every token before this one ends at or before the last offset searched. */
  private next = 0;

  constructor(private readonly tokens: readonly LintToken[]) {}

  /** The index of the token whose range holds `offset`, or -1. */
  indexAt(offset: number): number {
    const { tokens } = this;
    let low = this.next;
    let high = low;
    for (let step = 1; high < tokens.length && tokens[high]!.range[1] <= offset; step *= 2) {
      low = high + 1;
      high = low + step;
    }
    if (high > tokens.length) high = tokens.length;
    // The first token that ends after `offset` lies in [low, high].
    while (low < high) {
      const middle = (low + high) >> 1;
      if (tokens[middle]!.range[1] <= offset) low = middle + 1;
      else high = middle;
    }
    this.next = low;
    const token = tokens[low];
    return token !== undefined && token.range[0] <= offset ? low : -1;
  }

  /** The token whose range holds `offset`, or null. */
  at(offset: number): LintToken | null {
    const index = this.indexAt(offset);
    return index === -1 ? null : this.tokens[index]!;
  }
}

/** Offsets of every occurrence of `text` in `source`. */
function offsetsOf(source: string, text: string): number[] {
  const offsets: number[] = [];
  for (let at = source.indexOf(text); at !== -1; at = source.indexOf(text, at + 1)) offsets.push(at);
  return offsets;
}

/**
 * A JSX attribute's string may hold a line break as it is (ESLint's parsers list it as a JSXText
 * token); there is none in a text where no `=`, then blanks, then a quote, opens a line's rest
 * without closing it, and no comment follows a `=` (comments may stand before the value). No
 * pattern here may cross a comment's end: a lazy one did, and took seconds on a file of JSDoc.
 */
const MAYBE_MULTILINE_ATTRIBUTE = /=\s*(?:"[^"\n]*\n|'[^'\n]*\n|\/[*/])/g;

interface SemicolonTally {
  withSemicolon: number;
  without: number;
}

/**
 * Counts `statement` and the statements it holds (`STATEMENT_CHILD_KEYS`) for the semicolon
 * style, as the walk's `countsForSemicolons` does (a statement held by a for-loop does not count).
 * On a bundle this reads every statement of the file: one switch per statement, no closure.
 */
function tallySemicolons(statement: AstNode, heldByFor: boolean, source: string, tally: SemicolonTally): void {
  switch (statement.type) {
    case 'ExpressionStatement':
    case 'VariableDeclaration':
    case 'ReturnStatement':
    case 'ThrowStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      if (heldByFor) return;
      if (source.charCodeAt((statement.range as [number, number])[1] - 1) === 59 /* ; */) tally.withSemicolon += 1;
      else tally.without += 1;
      return;
  }
  const keys = STATEMENT_CHILD_KEYS[statement.type];
  if (keys === undefined) return;
  const isFor = statement.type === 'ForStatement' || statement.type === 'ForInStatement' || statement.type === 'ForOfStatement';
  for (let index = 0; index < keys.length; index++) {
    const value = statement[keys[index]!];
    if (Array.isArray(value)) {
      for (let at = 0; at < value.length; at++) {
        const child: unknown = value[at];
        if (isAstNode(child)) tallySemicolons(child, isFor, source, tally);
      }
    } else if (isAstNode(value)) {
      tallySemicolons(value, isFor, source, tally);
    }
  }
}

/** `surveyLintedFile` without the fallback: throws where the tokens and the tree disagree (exported for its tests). */
export function surveyFromTokens(program: AstNode, source: string, { tokens, scopes, childKeys }: LintedFile): FileSurvey {
  const survey: FileSurvey = { multilineValues: [], semicolons: true, uses: [], bindings: [] };
  /** Is there a node of `type` with exactly this range? */
  const nodeSpans = (type: string, start: number, end: number): boolean =>
    occurrencesAt(program, start, (node) => node.type === type && rangeOf(node)[1] === end, childKeys).length > 0;
  const spansLines = (start: number, end: number): boolean => {
    const newline = source.indexOf('\n', start);
    return newline !== -1 && newline + 1 < end;
  };

  // Names: identifier tokens that start with `stack`, or that are written with a `\u` escape
  // (their token does not show the name).
  const nameTokens = new Set<LintToken>();
  for (const text of source.includes('\\u') ? ['stack', '\\u'] : ['stack']) {
    const cursor = new TokenCursor(tokens);
    for (const at of offsetsOf(source, text)) {
      const token = cursor.at(at);
      if (token?.type === 'Identifier' && (text !== 'stack' || token.range[0] === at)) nameTokens.add(token);
    }
  }
  for (const token of nameTokens) {
    const start = token.range[0];
    const occurrences = occurrencesAt(program, start, (node) => node.type === 'Identifier', childKeys);
    if (occurrences.length === 0) throw new Unexpected();
    for (const { node, parent, key } of occurrences) {
      const name = String(node.name);
      if (!isStackName(name)) continue;
      if (isNameOccurrence(node, parent, key)) survey.uses.push({ name, at: start });
      const scope = bindingScopeOf(node, program);
      if (scope) survey.bindings.push({ name, scope: rangeOf(scope) });
    }
  }

  // Template literals: their tokens are `…${ (head), }…${ (middle), }…` (tail), or `…` alone,
  // so each backtick that opens or closes one starts or ends a Template token.
  const openTemplates: number[] = [];
  const templateCursor = new TokenCursor(tokens);
  for (const at of offsetsOf(source, '`')) {
    const token = templateCursor.at(at);
    if (token?.type !== 'Template') continue;
    const [start, end] = token.range;
    if (at === start && token.value.startsWith('`')) openTemplates.push(start);
    else if (at === end - 1 && token.value.endsWith('`')) {
      const literalStart = openTemplates.pop();
      if (literalStart === undefined) throw new Unexpected();
      if (!spansLines(literalStart, end)) continue;
      // A template literal type (TS-ESTree's TSTemplateLiteralType) is no TemplateLiteral: the walk leaves it unlocked.
      if (nodeSpans('TemplateLiteral', literalStart, end)) survey.multilineValues.push([literalStart, end]);
      else if (!nodeSpans('TSTemplateLiteralType', literalStart, end)) throw new Unexpected();
    }
  }
  if (openTemplates.length > 0) throw new Unexpected();

  // Strings: a line break in a string literal follows a backslash (a line continuation); in a
  // JSX attribute's string it may stand alone.
  const stringTokens = new Set<LintToken>();
  for (const text of ['\\\n', '\\\r\n']) {
    const cursor = new TokenCursor(tokens);
    for (const at of offsetsOf(source, text)) {
      const token = cursor.at(at);
      if (token?.type === 'String') stringTokens.add(token);
    }
  }
  // Each such string is the token after the attribute's `=` (comments are no tokens), and the
  // text from that `=` matches the pattern: only the tokens after its matches are read (reading
  // every token's type cost several milliseconds on a large bundle).
  MAYBE_MULTILINE_ATTRIBUTE.lastIndex = 0;
  const attributeCursor = new TokenCursor(tokens);
  for (let match = MAYBE_MULTILINE_ATTRIBUTE.exec(source); match; match = MAYBE_MULTILINE_ATTRIBUTE.exec(source)) {
    MAYBE_MULTILINE_ATTRIBUTE.lastIndex = match.index + 1;
    const equals = attributeCursor.indexAt(match.index);
    if (equals === -1) continue;
    const token = tokens[equals + 1];
    if (token?.type === 'JSXText' && (token.value[0] === '"' || token.value[0] === "'")) stringTokens.add(token);
  }
  for (const token of stringTokens) {
    const [start, end] = token.range;
    if (!spansLines(start, end)) continue;
    if (nodeSpans('Literal', start, end)) survey.multilineValues.push([start, end]);
    else if (token.type === 'String' || !nodeSpans('JSXText', start, end)) throw new Unexpected();
  }
  survey.multilineValues.sort((a, b) => a[0] - b[0]);

  const roots = new Set<AstNode>([program]);
  for (const { type, block } of scopes) {
    if (!isAstNode(block)) continue;
    if (type === 'function' && isAstNode(block.body) && block.body.type === 'BlockStatement') roots.add(block.body);
    else if (type === 'class-static-block') roots.add(block);
  }
  const tally: SemicolonTally = { withSemicolon: 0, without: 0 };
  for (const root of roots) for (const statement of root.body as AstNode[]) tallySemicolons(statement, false, source, tally);
  const { withSemicolon, without } = tally;
  survey.semicolons = withSemicolon >= without;
  return survey;
}
