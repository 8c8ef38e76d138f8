import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import { convertPathToPattern, globby } from 'globby';

import type { FileTask } from './file.js';
import type { FileReport } from './report.js';

/** Every extension the transforms can parse (the parser is chosen from it). */
export const SUPPORTED_EXTENSIONS: readonly string[] = ['js', 'jsx', 'mjs', 'cjs', 'ts', 'tsx', 'mts', 'cts'];

export interface DiscoveryOptions {
  cwd: string;
  /** Paths as typed on the command line (files or directories). */
  paths: readonly string[];
  /** Extensions (no dot) looked for inside directories. */
  extensions: readonly string[];
  /** Globs relative to `cwd` (or absolute) excluded from the run, on top of .gitignore. */
  ignore: readonly string[];
  /** Honour .gitignore files (those in walked directories and their parents up to the repository root). */
  gitignore: boolean;
}

/** In command-line order: a file to transform, or a report already settled during discovery. */
export type DiscoveredEntry = { task: FileTask } | { report: FileReport };

/**
 * Skipped in every directory walk: dependencies are never ours to rewrite, declaration
 * files hold no statements (and need Babel's `dts` mode, which the transforms do not use), and
 * minified bundles are build output: rewriting them only adds churn to a generated file.
 */
const ALWAYS_IGNORED = ['**/node_modules/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/*.min.js', '**/*.min.mjs', '**/*.min.cjs'];

function isDeclarationFile(file: string): boolean {
  return /\.d\.[mc]?ts$/i.test(file);
}

function isMinifiedFile(file: string): boolean {
  return /\.min\.[mc]?js$/i.test(file);
}

function skipped(file: string, reason: FileReport['reason'], message: string): { report: FileReport } {
  return { report: { file, status: 'skipped', reason, message, converted: [], refused: [] } };
}

function failed(file: string, reason: FileReport['reason'], message: string): { report: FileReport } {
  return { report: { file, status: 'error', reason, message, converted: [], refused: [] } };
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

function extensionOf(file: string): string {
  return path.extname(file).slice(1).toLowerCase();
}

function globIgnores(cwd: string, ignore: readonly string[]): string[] {
  // fast-glob matches absolute ignore patterns against absolute entries whatever its cwd, so a
  // user's globs keep meaning "relative to where the command ran" in every walked directory.
  // A pattern naming a folder (`--ignore vendor`) also excludes everything inside it.
  const base = convertPathToPattern(cwd);
  return [...ALWAYS_IGNORED, ...ignore.map((glob) => (path.isAbsolute(glob) ? glob : path.posix.join(base, glob)))];
}

interface Candidate {
  file: string;
  absolute: string;
}

/**
 * Find the files of a run and decide, before anything is read, which may be touched.
 *
 * - A directory is walked for `extensions`, honouring .gitignore (up to the repository root),
 *   `--ignore` and `node_modules`; hidden entries are not walked. Links met during the walk are
 *   never followed into directories; a linked file is kept only when its real path is inside a
 *   given path.
 * - A file named on the command line is kept whatever `--extensions` says, if the transforms can
 *   parse its extension and no ignore rule excludes it (so a pre-commit hook that passes every
 *   staged file still honours the project's ignores).
 * - Paths named on the command line are resolved (a linked directory is walked in its target).
 * - Each real file is transformed once, however many ways it is reached.
 */
export async function discoverFiles(options: DiscoveryOptions): Promise<DiscoveredEntry[]> {
  const { cwd } = options;
  const ignore = globIgnores(cwd, options.ignore);
  const directoryRoots: string[] = [];
  const fileRoots = new Set<string>();
  const steps: Array<() => Promise<Array<DiscoveredEntry | Candidate>>> = [];
  // Files named on the command line (a pre-commit hook passes hundreds) are matched against the
  // ignore rules together, one glob per group of directories (see groupDirectories): one per
  // file cost ~10 ms a file with .gitignore, walking the same folders again and again.
  const namedFiles: string[] = [];
  let keptNamed: Promise<Set<string>> | undefined;
  const keptNamedFiles = (): Promise<Set<string>> => (keptNamed ??= matchNamedFiles(namedFiles, ignore, options.gitignore));

  // Every path is looked at concurrently (a hook may name hundreds of files), then settled in order.
  const realDirectories = new Map<string, Promise<string>>();
  const realDirectory = (directory: string): Promise<string> => {
    let real = realDirectories.get(directory);
    if (real === undefined) {
      real = realpath(directory);
      realDirectories.set(directory, real);
    }
    return real;
  };
  const looks = await Promise.all(
    options.paths.map(async (given) => {
      const absolute = path.resolve(cwd, given);
      try {
        const isDirectory = (await stat(absolute)).isDirectory();
        const real = isDirectory
          ? await realpath(absolute)
          : path.join(await realDirectory(path.dirname(absolute)), path.basename(absolute));
        return { given, absolute, isDirectory, real };
      } catch (error) {
        return { given, absolute, error: error as NodeJS.ErrnoException };
      }
    }),
  );

  for (const look of looks) {
    const { given, absolute } = look;
    if (look.error !== undefined) {
      const entry =
        look.error.code === 'ENOENT'
          ? failed(given, 'not-found', `no such file or directory: ${given}`)
          : failed(given, 'unreadable', `cannot access ${given}: ${look.error.message}`);
      steps.push(() => Promise.resolve([entry]));
      continue;
    }
    const { isDirectory, real } = look;
    if (isDirectory) {
      directoryRoots.push(real);
      steps.push(async () => {
        const found = await walkDirectory(absolute, cwd, options.extensions, ignore, options.gitignore);
        if (found.length > 0 || !options.gitignore) return found;
        // A directory under a git-ignored one (say .cache/) yields nothing: say why, rather than
        // report an empty run. Walking again costs something only in this rare, empty case.
        const unfiltered = await walkDirectory(absolute, cwd, options.extensions, ignore, false);
        return unfiltered.length === 0
          ? []
          : [skipped(given, 'ignored', 'every file in this directory is excluded by .gitignore; pass --no-gitignore to include them')];
      });
    } else {
      fileRoots.add(real);
      const file = path.relative(cwd, absolute) || absolute;
      const settled = settleNamedFile(file, absolute);
      if (settled) {
        steps.push(() => Promise.resolve([settled]));
        continue;
      }
      namedFiles.push(absolute);
      steps.push(async () => {
        if ((await keptNamedFiles()).has(absolute)) return [{ file, absolute }];
        return [skipped(file, 'ignored', options.gitignore ? 'excluded by .gitignore or --ignore' : 'excluded by --ignore')];
      });
    }
  }

  const entries: DiscoveredEntry[] = [];
  const firstSeenAs = new Map<string, string>();
  // A path reached twice (a directory and a file inside it, a link given and walked) gets one entry.
  const settledPaths = new Set<string>();
  const found = await Promise.all(
    steps.map(async (step) => {
      const items = await step();
      const reals = await Promise.all(
        items.map((item) => ('absolute' in item ? realpath(item.absolute).catch(() => undefined) : undefined)),
      );
      return items.map((item, index) => ({ item, real: reals[index] }));
    }),
  );
  for (const { item, real } of found.flat()) {
    {
      if (!('absolute' in item)) {
        entries.push(item);
        continue;
      }
      if (settledPaths.has(item.file)) continue;
      settledPaths.add(item.file);
      if (real === undefined) {
        entries.push(skipped(item.file, 'broken-symlink', 'the link points to nothing'));
        continue;
      }
      if (!directoryRoots.some((root) => isInside(real, root)) && !fileRoots.has(real)) {
        entries.push(skipped(item.file, 'symlink-outside-root', `links to ${real}, outside the given paths`));
        continue;
      }
      const first = firstSeenAs.get(real);
      if (first === undefined) {
        firstSeenAs.set(real, item.file);
        entries.push({ task: { file: item.file, realPath: real } });
      } else {
        entries.push(skipped(item.file, 'duplicate', `same file as ${first}`));
      }
    }
  }
  return entries;
}

async function walkDirectory(
  directory: string,
  cwd: string,
  extensions: readonly string[],
  ignore: readonly string[],
  gitignore: boolean,
): Promise<Candidate[]> {
  const pattern = extensions.length === 1 ? `**/*.${extensions[0]}` : `**/*.{${extensions.join(',')}}`;
  const found = await globby(pattern, {
    cwd: directory,
    gitignore,
    ignore: [...ignore],
    followSymbolicLinks: false,
    // Links are listed as links (not files) when not followed: ask for everything, sort below.
    onlyFiles: false,
    objectMode: true,
    caseSensitiveMatch: false,
  });
  const candidates: Candidate[] = [];
  for (const entry of found) {
    const absolute = path.join(directory, entry.path);
    const { dirent } = entry;
    if (dirent?.isSymbolicLink()) {
      // A link to a directory is not walked; a dangling link is reported by the caller.
      const target = await stat(absolute).catch(() => undefined);
      if (target?.isDirectory()) continue;
    } else if (!dirent?.isFile()) {
      continue; // a directory named like a file, a FIFO, a socket
    }
    candidates.push({ file: path.relative(cwd, absolute) || absolute, absolute });
  }
  return candidates.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The verdict on a file named on the command line that needs no ignore rule, if any. */
function settleNamedFile(file: string, absolute: string): DiscoveredEntry | undefined {
  if (!SUPPORTED_EXTENSIONS.includes(extensionOf(absolute))) {
    return skipped(file, 'unsupported-extension', `no parser for "${path.extname(absolute) || '(none)'}" files`);
  }
  if (isDeclarationFile(file)) {
    return skipped(file, 'declaration-file', 'declaration files hold no statements to transform');
  }
  if (isMinifiedFile(file)) {
    return skipped(file, 'minified-file', 'minified files are build output: rewrite their sources instead');
  }
  if (file.split(path.sep).includes('node_modules')) {
    return skipped(file, 'ignored', 'inside node_modules');
  }
  return undefined;
}

/**
 * The directories of `files`, grouped under the outermost one that contains the others: one
 * glob per group walks each folder once (a glob with .gitignore on walks its whole `cwd` for
 * .gitignore files), and never a folder above the files' own.
 */
function groupDirectories(files: readonly string[]): Map<string, string[]> {
  const directories = [...new Set(files.map((file) => path.dirname(file)))].sort((a, b) => a.length - b.length);
  const roots: string[] = [];
  const rootOf = new Map<string, string>();
  for (const directory of directories) {
    const root = roots.find((candidate) => isInside(directory, candidate));
    if (root === undefined) roots.push(directory);
    rootOf.set(directory, root ?? directory);
  }
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const root = rootOf.get(path.dirname(file)) as string;
    groups.set(root, [...(groups.get(root) ?? []), file]);
  }
  return groups;
}

/**
 * Which of `files` (absolute, named on the command line) no ignore rule excludes. Same matcher
 * as a directory walk, so "ignored" means one thing however the file was named.
 */
async function matchNamedFiles(files: readonly string[], ignore: readonly string[], gitignore: boolean): Promise<Set<string>> {
  const kept = new Set<string>();
  for (const [root, group] of groupDirectories(files)) {
    // One pattern per directory, not per file: fast-glob costs ~1 ms a static pattern, while
    // `dir/*` reads each directory once; what it lists beyond the named files is dropped.
    const directories = [...new Set(group.map((file) => path.relative(root, path.dirname(file))))];
    const listed = await globby(
      directories.map((directory) => (directory === '' ? '*' : `${convertPathToPattern(directory)}/*`)),
      {
        cwd: root,
        gitignore,
        ignore: [...ignore],
        followSymbolicLinks: false,
        onlyFiles: false,
        dot: true,
        absolute: true,
      },
    );
    const named = new Set(group);
    for (const entry of listed) {
      const file = path.resolve(entry);
      if (named.has(file)) kept.add(file);
    }
  }
  return kept;
}
