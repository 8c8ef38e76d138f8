// The baseline for throughput figures: parse with the very parser the real transform uses,
// reprint with recast, change nothing. What a transform costs beyond this is its own work.
import jscodeshift from 'jscodeshift';

import { sourceParserFor } from '../../../dist/analysis/try-finally-parse.js';

export function transformSource(source, filePath) {
  const output = jscodeshift.withParser(sourceParserFor(filePath))(source).toSource();
  return { output, changed: output !== source, converted: [], refused: [] };
}

/** jscodeshift entry, for timing jscodeshift's own runner on the same files. */
export default function transform(file) {
  transformSource(file.source, file.path);
  return undefined;
}
