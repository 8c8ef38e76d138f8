import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string | undefined> {
  try {
    return (await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' })).stdout;
  } catch {
    // Not inside a work tree, or no git at all: there is no history to lose work against.
    return undefined;
  }
}

/**
 * Real paths of the files under `directories` whose working-tree content git could not give
 * back: changed since they were staged (or since the last commit when nothing is staged), or
 * untracked. Staged content is safe in the index (`git checkout -- file` restores it), which
 * is also what a pre-commit hook that rewrites staged files relies on. One `git rev-parse` per
 * directory and one `git status` per repository, however many paths a hook passes.
 */
export async function filesWithUnsavedWork(directories: readonly string[]): Promise<Set<string>> {
  const pathspecsByRoot = new Map<string, Set<string>>();
  for (const directory of new Set(directories)) {
    const root = (await git(directory, ['rev-parse', '--show-toplevel']))?.trim();
    if (!root) continue;
    const realRoot = await realpath(root);
    const pathspecs = pathspecsByRoot.get(realRoot) ?? new Set<string>();
    pathspecs.add(path.relative(realRoot, await realpath(directory)).split(path.sep).join('/') || '.');
    pathspecsByRoot.set(realRoot, pathspecs);
  }
  const unsaved = new Set<string>();
  for (const [root, pathspecs] of pathspecsByRoot) {
    const all = [...pathspecs];
    // Keeps each command line well under every platform's argument limit.
    for (let start = 0; start < all.length; start += 500) {
      const chunk = all.slice(start, start + 500).map((pathspec) => `:(literal)${pathspec}`);
      const status = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', ...chunk]);
      for (const entry of status?.split('\0') ?? []) {
        // `XY path`: Y is the work tree against the index (`??` for untracked files).
        if (entry.length >= 4 && entry[1] !== ' ') unsaved.add(path.join(root, entry.slice(3)));
      }
    }
  }
  return unsaved;
}
