/**
 * A text test that rules out, before any traversal, files in which the built-in targets
 * cannot be rebound. Most files mention `console` or `process` only to call or read them
 * (`console.log(…)`, `process.env.X`); a rebinding needs one of the shapes below next to a
 * mention, so a file with none of them is skipped whole.
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
 *
 * One scan finds the mentions; the shapes are then tried only at those places.
 */

const MENTION = /\b(?:console|process|stdout|stderr|write|delete)\b/gu;
const ASSIGNMENT = String.raw`(?:[-+*/%&|^]|\*\*|<<|>>>?|\|\||&&|\?\?)?=(?![=>])`;
/** After a target's last name: assigned, or listed in a destructuring pattern. */
const ASSIGNED_OR_LISTED = new RegExp(String.raw`['"\x60]?\s*\]?\s*\)?\s*(?:${ASSIGNMENT}|[,\]}])`, 'uy');
/** After `console`: a member of it assigned or listed. */
const CONSOLE_MEMBER_ASSIGNED = new RegExp(
  String.raw`\s*(?:\??\.\s*[\w$]+|\[[^\]\n]*\])\s*\)?\s*(?:${ASSIGNMENT}|[,\]}])`,
  'uy',
);
const COMPUTED_MEMBER = /\s*(?:\?\.)?\[/uy;
const MEMBER_ACCESS = /\s*(?:\??\.|\[)/uy;
const CALLED = /\s*\(/uy;
const DELETED_TARGET = /\s+[\w$.[\]'"`\s]{0,200}?\b(?:console|stdout|stderr|write)\b/uy;

function matchesAt(shape: RegExp, text: string, index: number): boolean {
  shape.lastIndex = index;
  return shape.test(text);
}

/** False when no built-in target can be rebound in a file with this text. */
export function mayRebindBuiltInTargets(text: string): boolean {
  MENTION.lastIndex = 0;
  for (let match = MENTION.exec(text); match !== null; match = MENTION.exec(text)) {
    const word = match[0];
    const end = match.index + word.length;
    if (word === 'delete') {
      if (matchesAt(DELETED_TARGET, text, end)) return true;
      continue;
    }
    if (matchesAt(ASSIGNED_OR_LISTED, text, end)) return true;
    if (word === 'write') continue;
    if (word === 'console' && matchesAt(CONSOLE_MEMBER_ASSIGNED, text, end)) return true;
    if (word !== 'console' && matchesAt(COMPUTED_MEMBER, text, end)) return true;
    // Used as a value (not read through, not called): it may flow into an alias or an argument.
    if (!matchesAt(MEMBER_ACCESS, text, end) && !matchesAt(CALLED, text, end)) return true;
  }
  return false;
}
