// A stand-in transform for the CLI tests, so they do not depend on how far the real
// try-finally-to-using transform has got. Plain ESM JavaScript so worker threads can import it.
//
//   CHANGE_ME       -> CHANGED, reported as a converted site
//   REFUSE_ME       -> left as is, reported as a refusal with reason 'test-refusal'
//   @@syntax-error  -> throws like Babel does: a SyntaxError carrying `loc`
//   @@crash         -> throws a plain Error (a transform bug, not a parse error)
//   @@exit-worker   -> in a worker thread only: process.exit(7), as a badly broken transform might

import { isMainThread } from 'node:worker_threads';

function positionOf(source, offset) {
  const before = source.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length };
}

function positionsOf(source, needle) {
  const positions = [];
  for (let at = source.indexOf(needle); at !== -1; at = source.indexOf(needle, at + needle.length)) {
    positions.push(positionOf(source, at));
  }
  return positions;
}

export function transformSource(source, filePath) {
  if (source.includes('@@exit-worker') && !isMainThread) process.exit(7);
  if (source.includes('@@crash')) throw new Error(`mark-transform crashed on ${filePath}`);
  const syntaxAt = source.indexOf('@@syntax-error');
  if (syntaxAt !== -1) {
    const { line, column } = positionOf(source, syntaxAt);
    const error = new SyntaxError(`${filePath}: Unexpected token (${line}:${column})`);
    error.loc = { line, column };
    throw error;
  }
  const converted = positionsOf(source, 'CHANGE_ME');
  const refused = positionsOf(source, 'REFUSE_ME').map((position) => ({
    ...position,
    reason: 'test-refusal',
    message: 'REFUSE_ME is left alone',
  }));
  const output = source.replaceAll('CHANGE_ME', 'CHANGED');
  return { output, changed: output !== source, converted, refused };
}
