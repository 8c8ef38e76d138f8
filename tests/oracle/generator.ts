// Random programs of hand-written try/finally cleanups for the property test of the
// try-finally-to-using codemod. Programs are generated as a small tree (so fast-check shrinks
// structure, not text) and printed as a module exporting `main()` that only calls the oracle
// runtime's globals. Labels are numbered at print time, so a shrunk program reads cleanly.

import fc from 'fast-check';

/** How a resource is released in its `finally`. */
export type CleanupKind =
  | 'close' // r.close()
  | 'dispose' // r[Symbol.dispose]()
  | 'close-async-awaited' // await r.closeAsync()
  | 'async-dispose-awaited' // await r[Symbol.asyncDispose]()
  | 'close-async-unawaited' // r.closeAsync() (a floating promise)
  | 'null-check-close' // if (r != null) r.close()
  | 'optional-close' // r?.close()
  | 'truthy-check-close' // if (r) r.close()  (not a plain null check)
  | 'conditional-close'; // if (r.name !== '') r.close()

/** Shapes the codemod must refuse or handle specially (REFERENCE.md §3). */
export type Quirk =
  | 'none'
  | 'finally-control-flow' // return / break / continue in the finally
  | 'reassigned' // let r = …; r = open(…) in the body
  | 'used-after' // r.name read after the try
  | 'escapes' // return r from the body
  | 'returns-name' // return r.name from the body (evaluated before the cleanup)
  | 'trace-after-cleanup' // a second statement in the finally, after the cleanup
  | 'var-declared' // var r = …: function-scoped, visible after the block
  | 'acquire-in-try'; // let r = null; try { r = open(…); … } finally { if (r != null) r.close() }

export type Statement =
  | { kind: 'step' }
  | { kind: 'trace' }
  /** Reads the innermost resource in scope (prints nothing when there is none). */
  | { kind: 'read' }
  /**
   * `const <name> = '<label>'` (once per block) then `trace(<name>)`: names repeat across
   * nested blocks (shadowing), and `stack` is the name the codemod gives its stacks.
   */
  | { kind: 'local'; name: 'value' | 'stack' }
  /**
   * Text whose lines a rewrite must not re-indent: a multi-line template literal, a string with
   * a line continuation (`'a\⏎b'`), or a multi-line block comment; each followed by a trace.
   */
  | { kind: 'text'; form: 'template' | 'continuation' | 'comment' }
  /**
   * `return` (unconditional outside loops) or, in a loop, `if (i === when) break|continue|return`;
   * `break-outer` leaves the outermost enclosing loop by its label.
   */
  | { kind: 'exit'; exit: 'return' | 'break' | 'continue' | 'break-outer'; when: 0 | 1 }
  | {
      kind: 'resource';
      async: boolean;
      cleanup: CleanupKind;
      quirk: Quirk;
      /** Statements between the acquisition and the `try`. */
      between: Statement[];
      body: Statement[];
      handler: 'none' | 'swallow' | 'rethrow';
    }
  /** Two acquisitions before one try; `reverse` releases them in reverse order (else in the same order). */
  | { kind: 'pair'; async: boolean; reverse: boolean; body: Statement[] }
  /** A finally with no resource: `try { … } finally { trace(…) }`. */
  | { kind: 'cleanup-only'; body: Statement[] }
  | { kind: 'loop'; body: Statement[] }
  /** `switch (1) { case 1: … }`: `using` may not appear directly in a case clause. */
  | { kind: 'switch'; body: Statement[] }
  /**
   * `[0, 1].forEach((k) => { … })`: a sync function boundary inside main (no `await`, no
   * `break`/`continue`/labels of the outer loops; `return` leaves the callback).
   */
  | { kind: 'callback'; body: Statement[] };

export interface GeneratedProgram {
  async: boolean;
  /**
   * An async main starts a background task that traces on every microtask turn, so that any
   * change in microtask interleaving (an extra `await` at a block exit) shows in the trace.
   */
  microtaskTicker: boolean;
  /** `.ts` or `.js`: decides the transform's parser and how the engines load it. */
  fileName: 'program.ts' | 'program.js';
  body: Statement[];
}

const leaf: fc.Arbitrary<Statement> = fc.oneof(
  fc.constant<Statement>({ kind: 'step' }),
  fc.constant<Statement>({ kind: 'trace' }),
  fc.constant<Statement>({ kind: 'read' }),
  fc.record({ kind: fc.constant('local' as const), name: fc.constantFrom('value' as const, 'stack' as const) }),
  fc.record({ kind: fc.constant('text' as const), form: fc.constantFrom('template' as const, 'continuation' as const, 'comment' as const) }),
  fc.record({ kind: fc.constant('exit' as const), exit: fc.constantFrom('return' as const, 'break' as const, 'continue' as const, 'break-outer' as const), when: fc.constantFrom(0 as const, 1 as const) }),
);

const between: fc.Arbitrary<Statement[]> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Statement[]>([]) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.constant<Statement>({ kind: 'step' }), fc.constant<Statement>({ kind: 'trace' })), { minLength: 1, maxLength: 2 }) },
);

const cleanupKind: fc.Arbitrary<CleanupKind> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<CleanupKind>('close') },
  { weight: 2, arbitrary: fc.constant<CleanupKind>('dispose') },
  { weight: 4, arbitrary: fc.constant<CleanupKind>('close-async-awaited') },
  { weight: 1, arbitrary: fc.constant<CleanupKind>('async-dispose-awaited') },
  { weight: 2, arbitrary: fc.constant<CleanupKind>('close-async-unawaited') },
  { weight: 1, arbitrary: fc.constantFrom<CleanupKind>('null-check-close', 'optional-close', 'truthy-check-close', 'conditional-close') },
);

const quirk: fc.Arbitrary<Quirk> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Quirk>('none') },
  { weight: 2, arbitrary: fc.constantFrom<Quirk>('finally-control-flow', 'reassigned', 'used-after', 'escapes', 'returns-name', 'trace-after-cleanup', 'var-declared', 'acquire-in-try') },
);

const statementsByDepth = new Map<number, fc.Arbitrary<Statement>>();

function statement(depth: number): fc.Arbitrary<Statement> {
  const known = statementsByDepth.get(depth);
  if (known) return known;
  if (depth === 0) return leaf;
  const body = fc.array(statement(depth - 1), { maxLength: 3 });
  const created = fc.oneof(
    { weight: 5, arbitrary: leaf },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('resource' as const),
        async: fc.boolean(),
        cleanup: cleanupKind,
        quirk,
        between,
        body,
        handler: fc.oneof({ weight: 5, arbitrary: fc.constant('none' as const) }, { weight: 2, arbitrary: fc.constantFrom('swallow' as const, 'rethrow' as const) }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('pair' as const), async: fc.boolean(), reverse: fc.boolean(), body }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('cleanup-only' as const), body }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('loop' as const), body }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('switch' as const), body }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('callback' as const), body }) },
  );
  statementsByDepth.set(depth, created);
  return created;
}

export interface ProgramOptions {
  /** Nesting depth (3 keeps scenario counts near a hundred). */
  depth?: number;
  /** Add the microtask ticker to async programs (see GeneratedProgram.microtaskTicker). */
  microtaskTicker?: boolean;
}

/** Programs of nested try/finally cleanups. */
export function programArbitrary({ depth = 3, microtaskTicker = false }: ProgramOptions = {}): fc.Arbitrary<GeneratedProgram> {
  return fc.record({
    async: fc.boolean(),
    microtaskTicker: fc.constant(microtaskTicker),
    fileName: fc.constantFrom('program.ts' as const, 'program.js' as const),
    body: fc.array(statement(depth), { minLength: 1, maxLength: 3 }),
  });
}

interface PrintScope {
  /** Variables of the enclosing loops and callbacks, outermost first (they make labels unique per iteration). */
  loopVariables: string[];
  /** Loop variables of this function's enclosing loops, outermost first (a loop's label is `L` + its number). */
  loops: string[];
  /** Inside main itself (not a callback): `await` is allowed when main is async. */
  awaitAllowed: boolean;
  /** Names declared by `local` statements directly in the current block. */
  declared: Set<string>;
  /** Resource variables in scope, innermost last. */
  resources: string[];
  /** Inside a loop (break/continue allowed) and not inside a switch (break would mean the switch). */
  inLoop: boolean;
}

class ProgramPrinter {
  private counter = 0;
  private readonly lines: string[] = [];

  constructor(private readonly program: GeneratedProgram) {}

  print(): string {
    const header = this.program.async ? 'export async function main() {' : 'export function main() {';
    this.lines.push(header);
    if (this.program.async && this.program.microtaskTicker) {
      this.emit(1, "void (async () => { for (let tick = 0; tick < 12; tick++) { await null; trace(`tick${tick}`); } })();");
    }
    const ended = this.block(this.program.body, { loopVariables: [], loops: [], resources: [], inLoop: false, awaitAllowed: this.program.async, declared: new Set() }, 1);
    if (!ended) this.lines.push("  return 'end';");
    this.lines.push('}');
    return `${this.lines.join('\n')}\n`;
  }

  private next(): number {
    this.counter += 1;
    return this.counter;
  }

  /** A string expression naming an event, unique per loop iteration. */
  private label(prefix: string, scope: PrintScope): string {
    const base = `${prefix}${this.next()}`;
    if (scope.loopVariables.length === 0) return `'${base}'`;
    return `\`${base}${scope.loopVariables.map((variable) => `.\${${variable}}`).join('')}\``;
  }

  private emit(indent: number, text: string): void {
    this.lines.push(`${'  '.repeat(indent)}${text}`);
  }

  /** Prints statements; returns true when the block ended with an unconditional exit. */
  private block(statements: readonly Statement[], scope: PrintScope, indent: number): boolean {
    const local: PrintScope = { ...scope, resources: [...scope.resources], declared: new Set() };
    for (const statement of statements) {
      if (this.statement(statement, local, indent)) return true;
    }
    return false;
  }

  private acquire(async: boolean, name: string, scope: PrintScope): string {
    return async && scope.awaitAllowed ? `await openAsync(${name})` : `open(${name})`;
  }

  private cleanup(kind: CleanupKind, variable: string, scope: PrintScope): string {
    const async = scope.awaitAllowed;
    switch (kind) {
      case 'close':
        return `${variable}.close();`;
      case 'dispose':
        return `${variable}[Symbol.dispose]();`;
      case 'close-async-awaited':
        return async ? `await ${variable}.closeAsync();` : `${variable}.close();`;
      case 'async-dispose-awaited':
        return async ? `await ${variable}[Symbol.asyncDispose]();` : `${variable}[Symbol.dispose]();`;
      case 'close-async-unawaited':
        return `${variable}.closeAsync();`;
      case 'null-check-close':
        return `if (${variable} != null) ${variable}.close();`;
      case 'optional-close':
        return `${variable}?.close();`;
      case 'truthy-check-close':
        return `if (${variable}) ${variable}.close();`;
      case 'conditional-close':
        return `if (${variable}.name !== '') ${variable}.close();`;
    }
  }

  /** Prints one statement; returns true when it is an unconditional exit. */
  private statement(statement: Statement, scope: PrintScope, indent: number): boolean {
    switch (statement.kind) {
      case 'step':
        this.emit(indent, `step(${this.label('s', scope)});`);
        return false;
      case 'trace':
        this.emit(indent, `trace(${this.label('t', scope)});`);
        return false;
      case 'local':
        if (!scope.declared.has(statement.name)) {
          scope.declared.add(statement.name);
          this.emit(indent, `const ${statement.name} = ${this.label('v', scope)};`);
        }
        this.emit(indent, `trace(${statement.name});`);
        return false;
      case 'text':
        this.text(statement.form, indent);
        return false;
      case 'read': {
        const resource = scope.resources.at(-1);
        if (resource) this.emit(indent, `${resource}.read();`);
        return false;
      }
      case 'exit':
        return this.exit(statement, scope, indent);
      case 'resource':
        return this.resource(statement, scope, indent);
      case 'pair':
        return this.pair(statement, scope, indent);
      case 'cleanup-only': {
        this.emit(indent, 'try {');
        const ended = this.block(statement.body, scope, indent + 1);
        this.emit(indent, '} finally {');
        this.emit(indent + 1, `trace(${this.label('cleanup', scope)});`);
        this.emit(indent, '}');
        return ended;
      }
      case 'loop': {
        const variable = `i${this.next()}`;
        this.emit(indent, `L${variable.slice(1)}: for (let ${variable} = 0; ${variable} < 2; ${variable}++) {`);
        this.block(statement.body, { ...scope, loopVariables: [...scope.loopVariables, variable], loops: [...scope.loops, variable], inLoop: true }, indent + 1);
        this.emit(indent, '}');
        return false;
      }
      case 'switch': {
        this.emit(indent, 'switch (1) {');
        this.emit(indent + 1, 'case 1:');
        const ended = this.block(statement.body, { ...scope, inLoop: false }, indent + 2);
        if (!ended) this.emit(indent + 2, 'break;');
        this.emit(indent, '}');
        return ended;
      }
      case 'callback': {
        const variable = `k${this.next()}`;
        this.emit(indent, `[0, 1].forEach((${variable}) => {`);
        this.block(statement.body, { ...scope, loopVariables: [...scope.loopVariables, variable], loops: [], inLoop: false, awaitAllowed: false }, indent + 1);
        this.emit(indent, '});');
        return false;
      }
    }
  }

  /** Lines after the first are pushed raw: their leading whitespace is part of the value or comment. */
  private text(form: 'template' | 'continuation' | 'comment', indent: number): void {
    const number = this.next();
    switch (form) {
      case 'template':
        this.emit(indent, `trace(\`text${number}`);
        this.lines.push(`      indented \${'part'} line`, '  end`);');
        return;
      case 'continuation':
        this.emit(indent, `trace('continued${number} \\`);
        this.lines.push("    second line');");
        return;
      case 'comment':
        this.emit(indent, `/* note${number}`);
        this.lines.push('     a second line keeps its column */');
        this.emit(indent, `trace('noted${number}');`);
        return;
    }
  }

  private exit(statement: Extract<Statement, { kind: 'exit' }>, scope: PrintScope, indent: number): boolean {
    const loopVariable = scope.loopVariables.at(-1);
    const value = `'early${this.next()}'`;
    if (loopVariable === undefined) {
      if (statement.exit !== 'return') return false;
      this.emit(indent, `return ${value};`);
      return true;
    }
    // break/continue only where they mean the loop (not inside a switch or a callback); else a return.
    const outermost = scope.loops[0];
    const jump =
      statement.exit === 'break-outer' && outermost !== undefined
        ? `break L${outermost.slice(1)};`
        : statement.exit === 'return' || !scope.inLoop
          ? `return ${value};`
          : `${statement.exit};`;
    this.emit(indent, `if (${loopVariable} === ${statement.when}) ${jump}`);
    return false;
  }

  private resource(statement: Extract<Statement, { kind: 'resource' }>, scope: PrintScope, indent: number): boolean {
    const number = this.next();
    const variable = `r${number}`;
    const name = scope.loopVariables.length === 0 ? `'r${number}'` : `\`r${number}${scope.loopVariables.map((v) => `.\${${v}}`).join('')}\``;
    const acquireInTry = statement.quirk === 'acquire-in-try';
    const declaration = statement.quirk === 'reassigned' ? 'let' : statement.quirk === 'var-declared' ? 'var' : 'const';
    if (acquireInTry) this.emit(indent, `let ${variable} = null;`);
    else this.emit(indent, `${declaration} ${variable} = ${this.acquire(statement.async, name, scope)};`);
    for (const between of statement.between) this.statement(between, scope, indent);
    scope.resources.push(variable);
    this.emit(indent, 'try {');
    if (acquireInTry) this.emit(indent + 1, `${variable} = ${this.acquire(statement.async, name, scope)};`);
    const inner: PrintScope = { ...scope, resources: [...scope.resources] };
    let ended = this.block(statement.body, inner, indent + 1);
    if (!ended && statement.quirk === 'reassigned') this.emit(indent + 1, `${variable} = ${this.acquire(statement.async, `'r${number}b'`, scope)};`);
    if (!ended && (statement.quirk === 'escapes' || statement.quirk === 'returns-name')) {
      this.emit(indent + 1, `return ${variable}${statement.quirk === 'returns-name' ? '.name' : ''};`);
      ended = true;
    }
    if (statement.handler !== 'none') {
      const error = `e${number}`;
      this.emit(indent, `} catch (${error}) {`);
      this.emit(indent + 1, `trace(${this.label('caught', scope)});`);
      if (statement.handler === 'rethrow') this.emit(indent + 1, `throw ${error};`);
    }
    this.emit(indent, '} finally {');
    // A resource acquired inside the try may be null in the finally: guard it as people do.
    this.emit(indent + 1, acquireInTry ? `if (${variable} != null) ${this.cleanup(statement.cleanup, variable, scope)}` : this.cleanup(statement.cleanup, variable, scope));
    if (statement.quirk === 'trace-after-cleanup') {
      // A multi-line template in the finally: it moves into a registration.
      this.emit(indent + 1, `trace(${this.label('after', scope)} + \`:`);
      this.lines.push('    indented`);');
    }
    let finallyReturns = false;
    if (statement.quirk === 'finally-control-flow') {
      const loopVariable = scope.loopVariables.at(-1);
      if (loopVariable !== undefined && scope.inLoop && scope.loops.length > 0) this.emit(indent + 1, `if (${loopVariable} === 0) continue;`);
      else {
        this.emit(indent + 1, `return 'from-finally${this.next()}';`);
        finallyReturns = true;
      }
    }
    this.emit(indent, '}');
    scope.resources.pop();
    // Code after a try that always leaves is unreachable: stop printing the block there.
    if (finallyReturns) return true;
    // A body that always exits ends the block when no handler can swallow its error.
    if (ended && statement.handler === 'none') return true;
    if (statement.quirk === 'used-after' || statement.quirk === 'var-declared') this.emit(indent, `trace(${variable}.name);`);
    return false;
  }

  private pair(statement: Extract<Statement, { kind: 'pair' }>, scope: PrintScope, indent: number): boolean {
    const first = this.next();
    const second = this.next();
    const names = [first, second].map((number) => (scope.loopVariables.length === 0 ? `'r${number}'` : `\`r${number}${scope.loopVariables.map((v) => `.\${${v}}`).join('')}\``));
    this.emit(indent, `const r${first} = ${this.acquire(statement.async, names[0]!, scope)};`);
    this.emit(indent, `const r${second} = ${this.acquire(statement.async, names[1]!, scope)};`);
    this.emit(indent, 'try {');
    const ended = this.block(statement.body, { ...scope, resources: [...scope.resources, `r${first}`, `r${second}`] }, indent + 1);
    this.emit(indent, '} finally {');
    const order = statement.reverse ? [second, first] : [first, second];
    for (const number of order) this.emit(indent + 1, `r${number}.close();`);
    this.emit(indent, '}');
    return ended;
  }
}

export function printProgram(program: GeneratedProgram): string {
  return new ProgramPrinter(program).print();
}
