import { parse as babelParse, type ParserOptions, type ParserPlugin } from '@babel/parser';

// The one parser choice shared by the codemod `try-finally-to-using` and its lint twin
// `ctx/prefer-using`: both analyse the same Babel AST, so they cannot disagree about a site.

/** Which grammar a file gets, from its extension (the react-codemod / next-codemod habit). */
export type SourceDialect = 'ts' | 'tsx' | 'babel';

export function dialectForPath(filePath: string): SourceDialect {
  const lower = filePath.toLowerCase();
  if (lower.endsWith('.tsx')) return 'tsx';
  if (lower.endsWith('.ts') || lower.endsWith('.mts') || lower.endsWith('.cts')) return 'ts';
  return 'babel';
}

// The plugins jscodeshift's own `ts`/`tsx` and `babylon` parsers enable
// (node_modules/jscodeshift/parser/*.js). A `.js`/`.jsx`/`.mjs`/`.cjs` file is JavaScript with
// JSX and Flow annotations, as jscodeshift's `babylon` parser reads it, so that a Flow file that
// plain jscodeshift can transform is not a parse error here. Flow runs with its default options
// (not babylon's `all: true`): `f<T>(x)` is a call with type arguments only in a file marked
// `@flow`; elsewhere it stays the comparison plain JavaScript means.
// `explicitResourceManagement` is named explicitly: @babel/parser >= 7.28 enables it by
// default, 7.27 does not, and our own output must parse whatever the installed version is.
const sharedPlugins: ParserPlugin[] = [
  'explicitResourceManagement',
  'asyncGenerators',
  'bigInt',
  'classPrivateMethods',
  'classPrivateProperties',
  'classProperties',
  'doExpressions',
  'dynamicImport',
  'exportDefaultFrom',
  'exportNamespaceFrom',
  'functionBind',
  'functionSent',
  'importAttributes',
  'importMeta',
  'nullishCoalescingOperator',
  'numericSeparator',
  'objectRestSpread',
  'optionalCatchBinding',
  'optionalChaining',
  ['pipelineOperator', { proposal: 'minimal' }],
  'throwExpressions',
];

const pluginsByDialect: Record<SourceDialect, ParserPlugin[]> = {
  ts: [...sharedPlugins, 'typescript', 'decoratorAutoAccessors', 'decorators-legacy'],
  tsx: [...sharedPlugins, 'typescript', 'jsx', 'decoratorAutoAccessors', 'decorators-legacy'],
  babel: [...sharedPlugins, 'jsx', 'flow', ['decorators', { decoratorsBeforeExport: false }]],
};

export function parserOptionsFor(dialect: SourceDialect, filePath = ''): ParserOptions {
  const lower = filePath.toLowerCase();
  return {
    // `.cjs`/`.cts` are scripts; anything else is a module when it imports or exports.
    sourceType: lower.endsWith('.cjs') || lower.endsWith('.cts') ? 'script' : 'unambiguous',
    allowImportExportEverywhere: true,
    allowReturnOutsideFunction: true,
    // A top-level `await` marks a module even without import/export (Node's own rule).
    allowAwaitOutsideFunction: true,
    startLine: 1,
    // recast needs the token list to reprint only what changed.
    tokens: true,
    plugins: pluginsByDialect[dialect],
  };
}

/** A parser object in the shape `jscodeshift.withParser` and `recast.parse` accept. */
export interface SourceParser {
  parse(source: string): ReturnType<typeof babelParse>;
}

export function sourceParserFor(filePath: string): SourceParser {
  const options = parserOptionsFor(dialectForPath(filePath), filePath);
  return { parse: (source: string) => babelParse(source, options) };
}

/**
 * Parses `source` as the codemod does. Throws an `Error` naming the file and 1-based
 * line:column when the source does not parse.
 */
export function parseForCleanupAnalysis(source: string, filePath: string): ReturnType<typeof babelParse> {
  try {
    return sourceParserFor(filePath).parse(source);
  } catch (error) {
    throw asParseError(error, filePath);
  }
}

export function asParseError(error: unknown, filePath: string): Error {
  const babelLoc = (error as { loc?: { line: number; column: number } } | undefined)?.loc;
  const where = babelLoc ? `${filePath}:${babelLoc.line}:${babelLoc.column + 1}` : filePath;
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(`${where}: cannot parse (${dialectForPath(filePath)} parser): ${reason}`, { cause: error });
}
