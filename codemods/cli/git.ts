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
 * is also what a pre-commit hook that rewrites staged files relies on.
 */
export async function filesWithUnsavedWork(directories: readonly string[]): Promise<Set<string>> {
  const unsaved = new Set<string>();
  const seenRoots = new Set<string>();
  for (const directory of directories) {
    const root = (await git(directory, ['rev-parse', '--show-toplevel']))?.trim();
    if (!root) continue;
    const pathspec = path.relative(root, await realpath(directory)) || '.';
    const key = `${root}\0${pathspec}`;
    if (seenRoots.has(key)) continue;
    seenRoots.add(key);
    const status = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--', pathspec]);
    if (status === undefined) continue;
    for (const entry of status.split('\0')) {
      if (entry.length < 4) continue;
      // `XY path`: Y is the work tree against the index (`??` for untracked files).
      if (entry[1] !== ' ') {
        unsaved.add(path.join(await realpath(root), entry.slice(3)));
      }
    }
  }
  return unsaved;
}
