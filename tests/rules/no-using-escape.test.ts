import { fileURLToPath } from 'node:url';

import { RuleTester } from '@typescript-eslint/rule-tester';
import { vi } from 'vitest';

import rule from '../../rules/no-using-escape.js';

const ruleTester = new RuleTester();

ruleTester.run('no-using-escape', rule, {
  valid: [
    // A value read from it, not the value.
    `function read() { using f = open(); return f.read(); }`,
    `async function read() { await using f = await open(); return await f.readAsync(); }`,
    `function size() { using f = open(); return f.size + 1; }`,
    // The idiomatic ownership transfer.
    `function build() { using stack = new DisposableStack(); stack.use(open()); return stack.move(); }`,
    // Passing it to a call is not an escape by itself.
    `function send() { using f = open(); return upload(f); }`,
    `function send() { using f = open(); consume(f); log(f); }`,
    // Closures that run inside the scope.
    `function all(xs) { using f = open(); return xs.map((x) => f.use(x)); }`,
    `function all(xs) { using f = open(); xs.forEach((x) => f.use(x)); return xs.filter((x) => f.has(x)); }`,
    `function now() { using f = open(); return (() => f.read())(); }`,
    `function now() { using f = open(); const read = () => f.read(); return read(); }`,
    `function now() { using f = open(); function read() { return f.read(); } return read(); }`,
    `function now() { using f = open(); return (function () { return f.read(); }).call(this); }`,
    // Shadowing: the returned `f` is another binding.
    `function shadow(f) { { using f = open(); f.read(); } return f; }`,
    `function shadow() { using f = open(); return [1].map((f) => f); }`,
    `function shadow() { using f = open(); const g = (f) => f; return g; }`,
    // A local alias, object or array that stays inside.
    `function local() { using f = open(); const g = f; const box = { g }; box.g.read(); return box.g.read(); }`,
    `function local() { using f = open(); const box = {}; box.f = f; return box.f.read(); }`,
    // `f && x` is `x`.
    'function pick() { using f = open(); return f && f.ready; }',
    // A spread copies the elements, not the value.
    `function copy() { using list = openList(); return [...list]; }`,
    // A `var` or a reassigned parameter of the function whose body is the scope dies with it.
    `function local() { using f = open(); var g = f; g.read(); }`,
    `function local(g) { using f = open(); g = f; g.read(); }`,
    // An awaited continuation, an awaited Promise executor, a timer cleared or disposed in the scope.
    `async function wait() { await using f = await open(); await f.ready.then(() => f.read()); }`,
    `async function wait() { await using f = await open(); await Promise.all([f.a().then(() => f.b())]); }`,
    `async function wait() { await using f = await open(); const p = f.a().then(() => f.b()); await p; }`,
    `async function wait() { await using f = await open(); await new Promise((resolve) => setTimeout(() => { f.tick(); resolve(); }, 10)); }`,
    `async function wait() { await using f = await open(); await new Promise((resolve) => emitter.once('done', () => resolve(f.read()))); }`,
    `function tick() { using f = open(); const t = setInterval(() => f.tick(), 10); work(); clearInterval(t); }`,
    `function tick() { using f = open(); using t = setInterval(() => f.tick(), 10); work(); }`,
    // A listener on the resource itself, on an emitter the scope binds with `using`, or one removed again.
    `function listen() { using socket = connect(); socket.on('data', () => socket.ack()); socket.flush(); }`,
    `async function serve() { await using db = openDb(); await using server = listen(); server.on('request', (req) => db.query(req)); await server.closed; }`,
    `function listen() { using f = open(); const onData = () => f.write(); emitter.on('data', onData); work(); emitter.off('data', onData); }`,
    // A closure handed to an unknown function may run at once.
    `function register() { using f = open(); test('reads', () => f.read()); stack.defer(() => f.read()); }`,
    // A returned promise in an async function without `Async` in its name (no types).
    `async function read() { using f = open(); return f.read(); }`,
    // Yielding a value read from it.
    `function* lines() { using f = open(); yield f.readLine(); }`,
    // Options.
    {
      code: `async function connect() { await using conn = await pool.connect(); return conn; }`,
      options: [{ allowFunctions: ['pool.connect'] }],
      name: 'allowFunctions names the factory (dotted)',
    },
    {
      code: `function make() { using session = new Session(); return session; }`,
      options: [{ allowFunctions: ['Session'] }],
      name: 'allowFunctions names a constructor',
    },
    {
      code: `function listen() { using f = open(); server.on('request', () => f.read()); }`,
      options: [{ allowFunctions: ['server.on'] }],
      name: 'allowFunctions names a callee that may keep a callback',
    },
  ],
  invalid: [
    {
      code: `function get() { using f = open(); return f; }`,
      errors: [{ messageId: 'returned', data: { name: 'f', kind: '`using`', line: 1, target: 'return' }, column: 43 }],
    },
    {
      code: `async function get() { await using conn = await pool.connect(); return conn ?? fallback; }`,
      errors: [{ messageId: 'returned', line: 1 }],
    },
    {
      code: `function get() { using f = open(); const g = f; return { file: g }; }`,
      errors: [{ messageId: 'returned' }],
    },
    {
      code: `function get() { using f = open(); return [f, 1] as const; }`,
      errors: [{ messageId: 'returned' }],
    },
    {
      code: `function* lines() { using f = open(); yield f; }`,
      errors: [{ messageId: 'yielded' }],
    },
    {
      code: `let last; function keep() { using f = open(); last = f; }`,
      errors: [{ messageId: 'assignedToOuter', data: { name: 'f', kind: '`using`', line: 1, target: 'last' } }],
    },
    {
      code: `function keep() { let kept; { using f = open(); kept = f; } return kept; }`,
      errors: [{ messageId: 'assignedToOuter' }],
    },
    {
      code: `function keep() { { using f = open(); var kept = f; } return kept; }`,
      errors: [{ messageId: 'assignedToOuter' }],
    },
    {
      code: `class Holder { conn; open() { using conn = connect(); this.conn = conn; } }`,
      errors: [{ messageId: 'storedInField', data: { name: 'conn', kind: '`using`', line: 1, target: 'this.conn' } }],
    },
    {
      code: `function keep(cache) { using f = open(); [1].forEach(() => { cache.file = f; }); }`,
      errors: [{ messageId: 'storedInField' }],
      name: 'stored from inside a callback',
    },
    {
      code: `async function read() { await using f = await open(); return f.readAsync(); }`,
      errors: [{ messageId: 'returnedPromise', data: { name: 'f', kind: '`await using`', line: 1, target: 'f.readAsync' } }],
    },
    {
      code: `function read() { using f = open(); return f.read().then((text) => text.trim()); }`,
      errors: [{ messageId: 'returnedPromise' }],
    },
    {
      code: `function reader() { using f = open(); return () => f.read(); }`,
      errors: [{ messageId: 'closureReturned' }],
    },
    {
      code: `function reader() { using f = open(); return { read() { return f.read(); } }; }`,
      errors: [{ messageId: 'closureReturned' }],
    },
    {
      code: `function reader() { using f = open(); function read() { return f.read(); } return read; }`,
      errors: [{ messageId: 'closureReturned' }],
    },
    {
      code: `function* readers() { using f = open(); yield () => f.read(); }`,
      errors: [{ messageId: 'closureReturned' }],
    },
    {
      code: `let onExit; function arm() { using f = open(); onExit = () => f.flush(); }`,
      errors: [{ messageId: 'closureStored', data: { name: 'f', kind: '`using`', line: 1, target: 'onExit' } }],
    },
    {
      code: `class Job { run() { using f = open(); this.cancel = () => f.close(); } }`,
      errors: [{ messageId: 'closureStored' }],
    },
    {
      code: `function later() { using f = open(); setTimeout(() => f.flush(), 100); }`,
      errors: [{ messageId: 'closureTimer', data: { name: 'f', kind: '`using`', line: 1, target: 'setTimeout' } }],
    },
    {
      code: `function later(xs) { using f = open(); xs.forEach((x) => queueMicrotask(() => f.write(x))); }`,
      errors: [{ messageId: 'closureTimer' }],
      name: 'a timer inside a callback that runs at once',
    },
    {
      code: 'function later() { using f = open(); process.nextTick(() => f.flush()); }',
      errors: [{ messageId: 'closureTimer', data: { name: 'f', kind: '`using`', line: 1, target: 'process.nextTick' } }],
    },
    {
      code: 'function later() { using f = open(); function flush() { f.flush(); } setImmediate(flush); flush(); }',
      errors: [{ messageId: 'closureTimer' }],
      name: 'a named function passed to a timer',
    },
    {
      code: `function later() { using f = open(); const flush = () => f.flush(); globalThis.setInterval(flush, 100); }`,
      errors: [{ messageId: 'closureTimer', column: 92 }],
    },
    {
      code: `function listen(server) { using db = openDb(); server.on('request', (req) => db.query(req)); }`,
      errors: [{ messageId: 'closureListener', data: { name: 'db', kind: '`using`', line: 1, target: 'server.on' } }],
    },
    {
      code: `function listen() { using f = open(); window.addEventListener('unload', () => f.flush()); }`,
      errors: [{ messageId: 'closureListener' }],
    },
    {
      code: `async function go() { await using f = await open(); f.ready.then(() => f.read()); }`,
      errors: [{ messageId: 'closureContinuation', data: { name: 'f', kind: '`await using`', line: 1, target: '.then()' } }],
    },
    {
      code: `async function go() { await using f = await open(); const p = f.ready.then(() => f.read()); return p; }`,
      errors: [{ messageId: 'closureContinuation' }],
    },
    {
      code: `using db = openDb();
export function query(sql) { return db.query(sql); }`,
      errors: [{ messageId: 'closureExported', line: 2, data: { name: 'db', kind: '`using`', line: 1, target: 'query' } }],
    },
    {
      code: `function both() {
  using f = open();
  setTimeout(() => {
    f.flush();
  });
  return f;
}`,
      errors: [
        { messageId: 'closureTimer', line: 3, endLine: 3 },
        { messageId: 'returned', line: 6 },
      ],
      name: 'a multi-line closure is reported on its head',
    },
    {
      code: `function loop(paths) { for (using f of paths.map(open)) { cache.push(() => f.read()); last = f; } }`,
      errors: [{ messageId: 'assignedToOuter' }],
      name: 'for (using …) heads a loop scope',
    },
    {
      code: `async function connect() { await using conn = await pool.connect(); return conn; }`,
      options: [{ allowFunctions: ['other'] }],
      errors: [{ messageId: 'returned' }],
      name: 'allowFunctions with another name',
    },
  ],
});

// The first typed case builds a TypeScript program: tens of seconds on a loaded machine.
vi.setConfig({ testTimeout: 120_000 });

const tsconfigRootDir = fileURLToPath(new URL('../fixtures/typed', import.meta.url));
const typedTester = new RuleTester({
  languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir } },
});

typedTester.run('no-using-escape (typed)', rule, {
  valid: [
    {
      code: `interface Connection extends Disposable { query(): Promise<number>; id(): number }
declare function connect(): Connection;
export async function id() { using conn = connect(); return conn.id(); }`,
      name: 'a returned call whose type is not a promise',
    },
    {
      code: `interface Connection extends Disposable { query(): Promise<number> }
interface PooledConnection extends Connection { release(): void }
declare function connect(): PooledConnection;
export function get() { using conn = connect(); return conn; }`,
      options: [{ allowTypes: ['Connection'] }],
      name: 'allowTypes names a base type',
    },
  ],
  invalid: [
    {
      code: `interface Connection extends Disposable { query(): Promise<number> }
declare function connect(): Connection;
export async function run() { using conn = connect(); return conn.query(); }`,
      errors: [{ messageId: 'returnedPromise', line: 3 }],
      name: 'a returned call whose type is a promise',
    },
    {
      code: `interface Connection extends Disposable { query(): Promise<number> }
declare function connect(): Connection;
export function get() { using conn = connect(); return conn; }`,
      options: [{ allowTypes: ['Session'] }],
      errors: [{ messageId: 'returned', line: 3 }],
      name: 'allowTypes with another type name',
    },
  ],
});
