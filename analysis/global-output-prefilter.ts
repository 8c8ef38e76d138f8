/**
 * A text test that rules out, before any traversal, files in which the built-in targets
 * cannot be rebound. Most files mention `console` or `process` only to call or read them
 * (`console.log(…)`, `process.env.X`); a rebinding needs one of the shapes below somewhere in
 * the text, so a file with none of them is skipped whole.
 *
 * Each shape matches a superset of what `RebindingFinder` can report on the built-in targets:
 * - a member that is a target's last name assigned (`.write =`, `['stdout'] =`, `console =`);
 * - a `console` member assigned (`console.log =`, `console[name] ||=`);
 * - a computed member of a stream or of `process` (`process[std].write`, `stdout[key]`);
 * - a target object used as a value, which is how aliases, parameters, fields,
 *   `Object.assign(console, …)`, `Object.defineProperty(process.stdout, …)`, test doubles
 *   and `node:process` imports reach it (`console,`, `= process.stdout;`, `'node:process'`);
 * - a destructuring-assignment target (`[process.stdout.write] = …`);
 * - `delete` of one.
 */

const ASSIGNMENT_OPERATOR = String.raw`(?:[-+*/%&|^]|\*\*|<<|>>>?|\|\||&&|\?\?)?=(?![=>])`;

const REBINDING_SHAPES: readonly RegExp[] = [
  new RegExp(String.raw`\b(?:write|stdout|stderr|console)['"\x60]?\s*\]?\s*\)?\s*${ASSIGNMENT_OPERATOR}`, 'u'),
  new RegExp(String.raw`\bconsole\s*(?:\.\s*[\w$]+|\[[^\]\n]*\])\s*\)?\s*${ASSIGNMENT_OPERATOR}`, 'u'),
  /\b(?:process|stdout|stderr)\s*\[/u,
  /\b(?:console|process|stdout|stderr)\b(?!\s*(?:\??\.|\[))/u,
  // a destructuring-assignment target: `[process.stdout.write, other] = …`, `({ log: console.log } = …)`
  /\b(?:write|stdout|stderr|console(?:\s*\.\s*[\w$]+)?)\s*[,\]}]/u,
  /\bdelete\s[^;\n]*\b(?:console|stdout|stderr|write)\b/u,
];

/** False when no built-in target can be rebound in a file with this text. */
export function mayRebindBuiltInTargets(text: string): boolean {
  return REBINDING_SHAPES.some((shape) => shape.test(text));
}
