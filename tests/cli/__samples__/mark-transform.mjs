// A stand-in transform for the CLI tests, so they do not depend on how far the real
// try-finally-to-using transform has got. Plain ESM JavaScript so worker threads can import it.
//
//   CHANGE_ME       -> CHANGED, reported as a converted site
//   REFUSE_ME       -> left as is, reported as a refusal with reason 'test-refusal'
//   @@syntax-error  -> throws like Babel does: a SyntaxError carrying `loc`
//   LONE_ME         -> with the option allSites (--all-sites) as CHANGE_ME, else refused ('test-lone')
//   SKIP_ME         -> refused with reason 'test-skip-comment' (a skip the user asked for)
//   @@bad-char      -> throws a SyntaxError whose message holds control characters
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

export function transformSource(source, filePath, options = {}) {
  if (source.includes('@@exit-worker') && !isMainThread) process.exit(7);
  if (source.includes('@@crash')) throw new Error(`mark-transform crashed on ${filePath}`);
  const syntaxAt = source.indexOf('@@syntax-error');
  if (syntaxAt !== -1) {
    const { line, column } = positionOf(source, syntaxAt);
    const error = new SyntaxError(`${filePath}: Unexpected token (${line}:${column})`);
    error.loc = { line, column };
    throw error;
  }
  const badAt = source.indexOf('@@bad-char');
  if (badAt !== -1) {
    const { line, column } = positionOf(source, badAt);
    const error = new SyntaxError(`${filePath}: Unexpected character '\u0007' after \u001b[2J\u202e (${line}:${column})`);
    error.loc = { line, column };
    throw error;
  }
  const converted = positionsOf(source, 'CHANGE_ME');
  const refusal = (needle, reason) =>
    positionsOf(source, needle).map((position) => ({ ...position, reason, message: `${needle} is left alone` }));
  const refused = [...refusal('REFUSE_ME', 'test-refusal'), ...refusal('SKIP_ME', 'test-skip-comment')];
  let output = source.replaceAll('CHANGE_ME', 'CHANGED');
  if (options.allSites) {
    converted.push(...positionsOf(source, 'LONE_ME'));
    output = output.replaceAll('LONE_ME', 'CHANGED');
  } else {
    refused.push(...refusal('LONE_ME', 'test-lone'));
  }
  return { output, changed: output !== source, converted, refused };
}
