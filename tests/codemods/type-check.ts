import path from 'node:path';

import ts from 'typescript';

import { REPO_ROOT } from '../oracle/engines.js';

// `tsc --strict` over virtual files, as every codemod's output test runs it: lib ES2022 +
// esnext.disposable (what converted code needs), one Program over all the files of a test, and
// the oracle's globals (the fixtures' undeclared helpers) unless a test asks for Node's types.

const BASE_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  moduleDetection: ts.ModuleDetectionKind.Force,
  lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts'],
  types: [],
  jsx: ts.JsxEmit.Preserve,
  skipLibCheck: true,
};

const ORACLE_GLOBALS = path.join(REPO_ROOT, 'tests', 'oracle', 'globals.d.ts');

/**
 * The diagnostics of each virtual file (`TS<code> line <n>: <message>`). `nodeTypes`: check
 * against `@types/node` instead of the oracle's globals.
 */
export function typeCheckVirtualFiles(files: ReadonlyMap<string, string>, { nodeTypes = false } = {}): Map<string, string[]> {
  const options: ts.CompilerOptions = { ...BASE_OPTIONS, types: nodeTypes ? ['node'] : [] };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (fileName) => files.get(fileName) ?? readFile(fileName);
  host.fileExists = (fileName) => files.has(fileName) || ts.sys.fileExists(fileName);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = files.get(fileName);
    return text === undefined ? getSourceFile(fileName, languageVersion, onError, shouldCreate) : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const program = ts.createProgram([...files.keys(), ...(nodeTypes ? [] : [ORACLE_GLOBALS])], options, host);
  const result = new Map<string, string[]>();
  for (const fileName of files.keys()) {
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName));
    result.set(
      fileName,
      diagnostics.map((diagnostic) => {
        const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1 : 0;
        return `TS${diagnostic.code} line ${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      }),
    );
  }
  return result;
}
