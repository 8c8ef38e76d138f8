// The cheaper baseline: only the plain Babel parse the real transform starts every file with
// (it pays for recast's parse and print only where a site converts). No output change.
import { parseForCleanupAnalysis } from '../../../dist/analysis/try-finally-parse.js';

export function transformSource(source, filePath) {
  parseForCleanupAnalysis(source, filePath);
  return { output: source, changed: false, converted: [], refused: [] };
}
