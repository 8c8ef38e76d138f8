// A small seeded generator of cleanup-list programs (the pre-`using` idiom the split-nested-stacks
// codemod rewrites into one DisposableStack per scope): a random number of registrations per
// scope, registrations in loops, under conditions and in `map` callbacks, nested scopes sharing
// the list (marked, or emptied by the inner run), sync and async runs of each known shape, catch
// clauses, and, now and then, one shape the codemod must refuse. Each program knows what the
// codemod should do with it (`expected`), and every cleanup logs through the oracle runtime
// (close:<name>, trace:<message>), so input and output can be compared run by run.

export type Expectation = 'converted' | 'registration-order' | 'catches-per-cleanup' | 'escapes' | 'ambiguous-scope' | 'unrecognised-run';

export interface CleanupListProgram {
  readonly seed: number;
  readonly fileName: string;
  readonly source: string;
  readonly expected: Expectation;
  /** The program makes promises of its own (a `.then` callback), not only through the runtime. */
  readonly ownPromises: boolean;
  /** Nested scopes share the list (see cleanupListContractViolation's `shared`). */
  readonly shared: boolean;
}

/** mulberry32: a tiny, fast, seedable PRNG (enough for shapes, not for secrets). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Refusal = Exclude<Expectation, 'converted'>;

interface Context {
  readonly next: () => number;
  readonly async: boolean;
  readonly list: string;
  counter: number;
}

const pick = <T>(context: Context, items: readonly T[]): T => items[Math.floor(context.next() * items.length)]!;
const chance = (context: Context, probability: number): boolean => context.next() < probability;

function indent(lines: readonly string[], by = '  '): string[] {
  return lines.map((line) => (line === '' ? line : by + line));
}

/** One registration: a resource opened and its close pushed, or a cleanup that only logs. */
function registration(context: Context, prefix: string): string[] {
  const n = ++context.counter;
  const name = `${prefix}r${n}`;
  if (chance(context, 0.25)) return [`${context.list}.push(() => trace('${name}'));`];
  if (context.async) return [`const ${`v${n}`} = await openAsync('${name}');`, `${context.list}.push(() => ${`v${n}`}.closeAsync());`];
  return [`const ${`v${n}`} = open('${name}');`, `${context.list}.push(() => ${`v${n}`}.close());`];
}

/** Statements of one scope's try block. `outer`: registrations named `outer…` (the nested-scope fix moves their cleanup). */
function scopeBody(context: Context, depth: number, outer: boolean): { lines: string[]; registrations: number; repeats: boolean } {
  const lines: string[] = [];
  let registrations = 0;
  let repeats = false;
  const prefix = outer ? 'outer-' : '';
  const count = 1 + Math.floor(context.next() * 4);
  for (let i = 0; i < count; i++) {
    const kind = pick(context, ['register', 'register', 'step', 'loop', 'map', 'conditional']);
    if (kind === 'register') {
      lines.push(...registration(context, prefix));
      registrations++;
    } else if (kind === 'conditional') {
      // A registration under a condition is still made in its scope: only whether it happens varies.
      const taken = chance(context, 0.5);
      lines.push(`if (${taken ? 'true' : 'false'} === (${++context.counter} > 0)) {`, ...indent(registration(context, prefix)), '}');
      // At most once: a lone conditional registration still cannot be out of order.
      registrations++;
    } else if (kind === 'step') {
      lines.push(`step('s${++context.counter}');`);
    } else if (kind === 'loop') {
      const n = ++context.counter;
      lines.push(`for (const name of ['${prefix}l${n}a', '${prefix}l${n}b']) {`);
      lines.push(...indent(context.async ? ['const item = await openAsync(name);', `${context.list}.push(() => item.closeAsync());`] : ['const item = open(name);', `${context.list}.push(() => item.close());`]));
      lines.push('}');
      registrations += 2;
      repeats = true;
    } else {
      const n = ++context.counter;
      // A `map` callback runs on the spot; an async one would register later, so sync only.
      lines.push(`const m${n} = ['${prefix}m${n}a', '${prefix}m${n}b'].map((name) => {`);
      lines.push(...indent(['const item = open(name);', `${context.list}.push(() => item.close());`, 'return item;']));
      lines.push('});');
      lines.push(`m${n}.forEach((item) => item.read());`);
      registrations += 2;
      repeats = true;
    }
  }
  if (registrations === 0) {
    lines.push(...registration(context, prefix));
    registrations++;
  }
  return { lines, registrations, repeats };
}

/** A run that empties the list (or stops at `mark`), as nested scopes need. */
function clearingRun(context: Context, mark: string | undefined): string[] {
  const call = context.async ? `await ${context.list}.pop()()` : pick(context, [`${context.list}.pop()()`, `${context.list}.pop()?.()`]);
  const test = mark ? `${context.list}.length > ${mark}` : pick(context, [`${context.list}.length`, `${context.list}.length > 0`, `${context.list}.length !== 0`]);
  const named = [`while (${test}) {`, `  const cleanup = ${context.list}.pop();`, `  ${context.async ? 'await ' : ''}cleanup${chance(context, 0.5) ? '?.' : ''}();`, '}'];
  return pick(context, [[`while (${test}) ${call};`], [`while (${test}) {`, `  ${call};`, '}'], named]);
}

/** Any last-in-first-out run of the outermost scope. */
function outerRun(context: Context): string[] {
  const list = context.list;
  const call = (callee: string): string => (context.async ? `await ${callee}()` : `${callee}()`);
  return pick(context, [
    () => [`for (const cleanup of ${list}.reverse()) ${call('cleanup')};`],
    () => [`for (const cleanup of [...${list}].reverse()) {`, `  ${call('cleanup')};`, '}'],
    () => [`for (let i = ${list}.length - 1; i >= 0; i--) ${call(`${list}[i]`)};`],
    () => clearingRun(context, undefined),
  ])();
}

/** The outer try/finally, with at most one nested scope sharing the list. */
function program(context: Context, refusal: Refusal | undefined): { lines: string[]; expected: Expectation; ownPromises: boolean; shared: boolean } {
  const list = context.list;
  const lines: string[] = [];
  let ownPromises = false;
  const nested = chance(context, 0.4);
  const marked = nested && chance(context, 0.5);
  // An inner run that empties the whole list also runs the outer cleanups registered before it:
  // those are the ones the fix moves to the outer scope's end (named `outer…`). After the inner
  // scope the outer registers nothing more, so their order among themselves stays.
  const head = scopeBody(context, 0, nested && !marked);
  let registrations = head.registrations;
  let repeats = head.repeats;
  const body = [...head.lines];
  if (nested) {
    const mark = marked ? `mark${++context.counter}` : undefined;
    if (mark) body.push(`const ${mark} = ${list}.length;`);
    const inner = scopeBody(context, 1, false);
    registrations += inner.registrations;
    repeats = true;
    body.push('try {', ...indent(inner.lines), '} finally {', ...indent(clearingRun(context, mark)), '}');
    body.push(`step('after${++context.counter}');`);
    if (marked) {
      const tail = scopeBody(context, 0, false);
      body.push(...tail.lines);
      registrations += tail.registrations;
    }
  }
  let run = nested ? clearingRun(context, undefined) : outerRun(context);
  let expected: Expectation = 'converted';
  switch (refusal) {
    case 'registration-order':
      run = context.async ? [`for (const cleanup of ${list}) await cleanup();`] : pick(context, [[`${list}.forEach((cleanup) => cleanup());`], [`for (const cleanup of ${list}) cleanup();`]]);
      // One registration made once: the order cannot matter, and the codemod converts it.
      expected = !nested && registrations === 1 && !repeats ? 'converted' : 'registration-order';
      break;
    case 'catches-per-cleanup':
      run = [`for (const cleanup of ${list}.reverse()) {`, `  try {`, `    ${context.async ? 'await ' : ''}cleanup();`, '  } catch {', "    trace('swallowed');", '  }', '}'];
      expected = 'catches-per-cleanup';
      break;
    case 'escapes':
      body.push(`trace(\`pending \${${list}.length}\`);`);
      expected = 'escapes';
      break;
    case 'ambiguous-scope':
      if (context.async) {
        body.push(`await Promise.resolve().then(() => {`, `  ${list}.push(() => trace('late'));`, '});');
        ownPromises = true;
      } else {
        lines.push(`const early = open('early');`, `${list}.push(() => early.close());`);
      }
      expected = 'ambiguous-scope';
      break;
    case 'unrecognised-run':
      run = [`trace('finally');`, ...run];
      expected = 'unrecognised-run';
      break;
    case undefined:
      break;
  }
  const catchClause = chance(context, 0.3) ? pick(context, [["} catch (error) {", "  trace('caught');", '  throw error;'], ["} catch {", "  trace('swallowed');"]]) : [];
  const finallyRest = chance(context, 0.15) ? [`trace('finally rest');`] : [];
  lines.push('try {', ...indent(body), ...catchClause, '} finally {', ...indent([...run, ...finallyRest]), '}');
  return { lines, expected, ownPromises, shared: nested };
}

/** The program of a seed: the same seed gives the same text. */
export function generateCleanupListProgram(seed: number): CleanupListProgram {
  const next = random(seed);
  const typed = next() < 0.3;
  const async = next() < 0.4;
  const context: Context = { next, async, list: pick({ next, async, list: '', counter: 0 }, ['cleanups', 'disposers', 'undo']), counter: 0 };
  const refusal = chance(context, 0.35) ? pick<Refusal>(context, ['registration-order', 'catches-per-cleanup', 'escapes', 'ambiguous-scope', 'unrecognised-run']) : undefined;
  const declared = typed ? `const ${context.list}: Array<() => ${async ? 'unknown' : 'void'}> = [];` : `const ${context.list} = [];`;
  const { lines, expected, ownPromises, shared } = program(context, refusal);
  const tail = pick(context, [[], [`step('tail');`], [`return 'done';`]]);
  const source = [
    `// generated cleanup-list program, seed ${seed}`,
    `export ${async ? 'async ' : ''}function main() {`,
    ...indent([declared, ...lines, ...tail]),
    '}',
    '',
  ].join('\n');
  return { seed, fileName: `generated-${seed}.${typed ? 'ts' : 'js'}`, source, expected, ownPromises, shared };
}
