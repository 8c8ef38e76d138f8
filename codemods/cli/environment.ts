import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import semver from 'semver';

// What converted code needs outside itself: `DisposableStack` at run time (Node >= 24, Deno,
// Bun, current Chrome and Firefox; not Safari) or a polyfill, its TypeScript types
// (`esnext.disposable`). The CLI reads the nearest package.json and tsconfig.json of each
// converted file and says what is missing; it never edits them.

/** The first Node.js release line whose globals include DisposableStack and AsyncDisposableStack. */
export const FIRST_NODE_WITH_DISPOSABLE_STACK = 24;

/**
 * `--target`:
 * - `auto`: read `engines.node`; convert, and warn when it admits a Node without DisposableStack.
 * - `engines`: read `engines.node`; refuse to convert files of a package that admits one (or declares none).
 * - `native`: the code runs only where DisposableStack exists; no check.
 * - `polyfilled`: the program loads a polyfill (e.g. `disposablestack/auto`); no check.
 * - a Node.js version range (`node20`, `>=20.19`, `^22 || >=24`): refuse when it admits a Node without it.
 */
export type RuntimeTarget =
  | { kind: 'auto' | 'engines' | 'native' | 'polyfilled' }
  | { kind: 'node'; range: string };

export const TARGET_KEYWORDS = ['auto', 'engines', 'native', 'polyfilled'] as const;

/** Parses `--target`; returns an error message for anything else. */
export function parseTarget(value: string): RuntimeTarget | string {
  const trimmed = value.trim();
  if ((TARGET_KEYWORDS as readonly string[]).includes(trimmed)) return { kind: trimmed as (typeof TARGET_KEYWORDS)[number] };
  const range = trimmed.replace(/^node(?:js)?@?/i, '');
  if (range !== '' && semver.validRange(range) !== null) return { kind: 'node', range };
  return `expected ${TARGET_KEYWORDS.join(', ')} or a Node.js version range (e.g. node20, ">=20.19", "^22 || >=24").`;
}

/** True when `range` admits a Node.js version without DisposableStack. */
export function admitsNodeWithoutDisposableStack(range: string): boolean {
  return semver.intersects(range, `<${FIRST_NODE_WITH_DISPOSABLE_STACK}.0.0-0`, { includePrerelease: false });
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Nearest `name` in `directory` or above, cached per directory (a run asks once per folder). */
class NearestFinder {
  private readonly cache = new Map<string, string | undefined>();
  constructor(private readonly name: string) {}

  find(directory: string): string | undefined {
    if (this.cache.has(directory)) return this.cache.get(directory);
    const candidate = path.join(directory, this.name);
    const parent = path.dirname(directory);
    const found = isFile(candidate) ? candidate : parent === directory ? undefined : this.find(parent);
    this.cache.set(directory, found);
    return found;
  }
}

export interface PackageRuntime {
  /** The package.json that governs the file (absolute), if any. */
  packageJson?: string;
  /** Its `engines.node`, if it declares one. */
  enginesNode?: string;
  /** Why converted code may not run there; undefined when it will. */
  problem?: string;
}

const NEEDS = `DisposableStack (Node.js >= ${FIRST_NODE_WITH_DISPOSABLE_STACK}, Deno, Bun, current Chrome and Firefox; not Safari) or a polyfill such as disposablestack/auto`;

/** Answers "where will this file run, and does that runtime have DisposableStack?" per package. */
export class RuntimeChecker {
  private readonly packages = new NearestFinder('package.json');
  private readonly verdicts = new Map<string | undefined, PackageRuntime>();

  constructor(readonly target: RuntimeTarget) {}

  /** Whether files are refused (not only warned about) when their runtime lacks DisposableStack. */
  get refuses(): boolean {
    return this.target.kind === 'engines' || this.target.kind === 'node';
  }

  check(absoluteFile: string): PackageRuntime {
    const { target } = this;
    if (target.kind === 'native' || target.kind === 'polyfilled') return {};
    if (target.kind === 'node') {
      return admitsNodeWithoutDisposableStack(target.range)
        ? { problem: `--target ${target.range} admits Node.js without ${NEEDS}` }
        : {};
    }
    const packageJson = this.packages.find(path.dirname(absoluteFile));
    const known = this.verdicts.get(packageJson);
    if (known) return known;
    const verdict = readEngines(packageJson);
    this.verdicts.set(packageJson, verdict);
    return verdict;
  }
}

function readEngines(packageJson: string | undefined): PackageRuntime {
  if (packageJson === undefined) return { problem: `no package.json declares engines.node; converted code needs ${NEEDS}` };
  let enginesNode: unknown;
  try {
    enginesNode = (JSON.parse(readFileSync(packageJson, 'utf8')) as { engines?: { node?: unknown } }).engines?.node;
  } catch (error) {
    return { packageJson, problem: `cannot read engines.node (${(error as Error).message}); converted code needs ${NEEDS}` };
  }
  if (typeof enginesNode !== 'string' || semver.validRange(enginesNode) === null) {
    return { packageJson, problem: `declares no valid engines.node; converted code needs ${NEEDS}` };
  }
  if (!admitsNodeWithoutDisposableStack(enginesNode)) return { packageJson, enginesNode };
  return { packageJson, enginesNode, problem: `engines.node "${enginesNode}" admits Node.js without ${NEEDS}` };
}

export interface TypesProblem {
  /** The tsconfig.json that governs the file (absolute). */
  tsconfig: string;
  message: string;
}

interface TypeScriptApi {
  version: string;
  sys: unknown;
  readConfigFile(file: string, read: (file: string) => string | undefined): { config?: unknown; error?: unknown };
  parseJsonConfigFileContent(json: unknown, host: unknown, basePath: string): { options: { lib?: string[]; target?: number } };
  ScriptTarget: { ESNext: number };
}

/** `lib` entries (as TypeScript resolves them: `lib.esnext.disposable.d.ts`) that declare DisposableStack. */
const DISPOSABLE_LIB = /^lib\.(?:esnext(?:\.full|\.disposable)?|es20(?:2[6-9]|[3-9]\d)(?:\.full|\.disposable)?)\.d\.ts$/i;

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.tsx', '.mts', '.cts']);

/** For TypeScript files: does the governing tsconfig.json give DisposableStack's types? */
export class TypesChecker {
  private readonly configs = new NearestFinder('tsconfig.json');
  private readonly verdicts = new Map<string, TypesProblem | undefined>();

  check(absoluteFile: string): TypesProblem | undefined {
    if (!TYPESCRIPT_EXTENSIONS.has(path.extname(absoluteFile).toLowerCase())) return undefined;
    const tsconfig = this.configs.find(path.dirname(absoluteFile));
    if (tsconfig === undefined) return undefined;
    if (!this.verdicts.has(tsconfig)) this.verdicts.set(tsconfig, checkTsconfig(tsconfig));
    return this.verdicts.get(tsconfig);
  }
}

/** The project's own TypeScript (it knows the project's lib names), else any the CLI can reach, else none. */
function loadTypeScript(tsconfig: string): TypeScriptApi | undefined {
  for (const from of [tsconfig, import.meta.url]) {
    try {
      return createRequire(from)('typescript') as TypeScriptApi;
    } catch {
      // Not installed there: try the next place.
    }
  }
  return undefined;
}

function checkTsconfig(tsconfig: string): TypesProblem | undefined {
  const ts = loadTypeScript(tsconfig);
  if (ts === undefined) return undefined;
  const [major = 0, minor = 0] = ts.version.split('.').map(Number);
  if (major < 5 || (major === 5 && minor < 2)) {
    return { tsconfig, message: `TypeScript ${ts.version} does not know \`using\` or DisposableStack: upgrade to TypeScript >= 5.2` };
  }
  const read = ts.readConfigFile(tsconfig, (file) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  });
  if (read.error !== undefined || read.config === undefined) return undefined;
  const { options } = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig));
  if (options.lib === undefined) {
    // Without `lib`, the target picks it: only ESNext's default lib declares DisposableStack.
    if (options.target === ts.ScriptTarget.ESNext) return undefined;
    return {
      tsconfig,
      message: 'compilerOptions.lib is not set and the target\'s default lib has no DisposableStack types: add "lib": ["<your target>", "esnext.disposable"] (or "ESNext")',
    };
  }
  const libs = options.lib.map((file) => path.basename(file));
  if (libs.some((lib) => DISPOSABLE_LIB.test(lib))) return undefined;
  const names = libs.map((lib) => lib.replace(/^lib\./i, '').replace(/\.d\.ts$/i, ''));
  return {
    tsconfig,
    message: `compilerOptions.lib ${JSON.stringify(names)} has no DisposableStack types: add "esnext.disposable"`,
  };
}

export interface GlobalsProblem {
  /** The ESLint config file that governs the file (absolute), when ESLint can say. */
  config?: string;
  message: string;
}

interface EslintApi {
  ESLint: new (options: {
    cwd: string;
    ruleFilter?: (rule: { ruleId: string }) => boolean;
  }) => {
    lintText(text: string, options: { filePath: string }): Promise<Array<{ messages: Array<{ ruleId: string | null; message: string }> }>>;
    findConfigFile?(filePath?: string): Promise<string | undefined>;
  };
}

const PROBE = 'new DisposableStack();\nnew AsyncDisposableStack();\n';

/**
 * Does the project's ESLint report DisposableStack as undefined (`no-undef` on, an
 * `ecmaVersion` or ESLint release without the ES2026 globals)? Asked of the project's own ESLint,
 * with its own config, on a two-line probe linted as if it were the converted file, with every
 * rule but `no-undef` filtered out. Once per config file and extension: each probe parses.
 */
export class EslintGlobalsChecker {
  private readonly verdicts = new Map<string, Promise<GlobalsProblem | undefined>>();
  private readonly instances = new Map<string, Promise<InstanceType<EslintApi['ESLint']> | undefined>>();

  constructor(private readonly cwd: string) {}

  async check(absoluteFile: string): Promise<GlobalsProblem | undefined> {
    const eslint = await this.eslintFor(absoluteFile);
    if (eslint === undefined) return undefined;
    let config: string | undefined;
    try {
      config = await eslint.findConfigFile?.(absoluteFile);
    } catch {
      config = undefined;
    }
    const key = `${config ?? path.dirname(absoluteFile)}\0${path.extname(absoluteFile)}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      verdict = probe(eslint, absoluteFile, config);
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  private eslintFor(absoluteFile: string): Promise<InstanceType<EslintApi['ESLint']> | undefined> {
    let modulePath: string;
    try {
      modulePath = createRequire(absoluteFile).resolve('eslint');
    } catch {
      return Promise.resolve(undefined);
    }
    let instance = this.instances.get(modulePath);
    if (instance === undefined) {
      instance = import(pathToFileURL(modulePath).href).then(
        (module: EslintApi) => new module.ESLint({ cwd: this.cwd, ruleFilter: ({ ruleId }) => ruleId === 'no-undef' }),
        () => undefined,
      );
      this.instances.set(modulePath, instance);
    }
    return instance;
  }
}

async function probe(
  eslint: InstanceType<EslintApi['ESLint']>,
  absoluteFile: string,
  config: string | undefined,
): Promise<GlobalsProblem | undefined> {
  try {
    const [result] = await eslint.lintText(PROBE, { filePath: absoluteFile });
    const undefinedNames = (result?.messages ?? []).filter((message) => message.ruleId === 'no-undef');
    if (undefinedNames.length === 0) return undefined;
    return {
      ...(config ? { config } : {}),
      message:
        "no-undef reports DisposableStack as undefined: set languageOptions.ecmaVersion to 2026 or \"latest\" (with an ESLint that knows ES2026), or add languageOptions.globals { DisposableStack: 'readonly', AsyncDisposableStack: 'readonly' }",
    };
  } catch {
    // A config that cannot lint this probe (a parser that needs a real file, say) tells us nothing.
    return undefined;
  }
}
