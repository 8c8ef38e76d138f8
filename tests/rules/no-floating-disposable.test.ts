import { RuleTester } from '@typescript-eslint/rule-tester';

import rule from '../../rules/no-floating-disposable.js';

const ruleTester = new RuleTester();

const resourceClass = `class Resource {
  [Symbol.dispose]() {}
}
`;
const asyncResourceClass = `class Connection {
  async [Symbol.asyncDispose]() {}
}
`;

ruleTester.run('no-floating-disposable', rule, {
  valid: [
    // Each handoff form.
    { code: 'function f() { using stack = new DisposableStack(); stack.defer(g); }', name: 'bound with using' },
    { code: 'async function f() { await using stack = new AsyncDisposableStack(); }', name: 'bound with await using' },
    { code: 'function f(outer) { outer.use(new DisposableStack()); }', name: 'a new value given to a stack’s use' },
    {
      code: `${resourceClass}function f(outer) { const r = new Resource(); outer.adopt(r, (x) => x[Symbol.dispose]()); work(r); }`,
      name: 'a binding given to a stack’s adopt',
    },
    { code: 'function f() { const stack = new DisposableStack(); stack.defer(g); return stack; }', name: 'returned' },
    { code: 'function f() { return new DisposableStack(); }', name: 'returned directly' },
    { code: 'const f = () => new DisposableStack();', name: 'arrow body' },
    { code: 'function* f() { const stack = new DisposableStack(); yield stack; }', name: 'yielded' },
    { code: 'function f() { const stack = new DisposableStack(); stack.defer(g); return stack.move(); }', name: 'moved to the caller' },
    { code: 'function f() { const stack = new DisposableStack(); register(stack); }', name: 'passed to another function (ownership transfer by default)' },
    { code: 'function f() { track(new DisposableStack()); }', name: 'a new value passed to another function' },
    { code: 'function f() { const stack = new DisposableStack(); return { stack, close: () => stack.dispose() }; }', name: 'stored in a returned object' },
    { code: 'function f() { const list = []; const stack = new DisposableStack(); list.push(stack); return list; }', name: 'pushed into a list' },
    { code: 'export const stack = new DisposableStack();', name: 'exported' },
    { code: 'const stack = new DisposableStack();\nexport { stack };', name: 'exported by a specifier' },
    { code: 'function f() { const stack = new DisposableStack(); const owner = stack; return owner; }', name: 'returned through an alias' },
    // Disposed on every path.
    { code: 'function f() { const stack = new DisposableStack(); stack.defer(g); stack.dispose(); }', name: 'disposed at the end' },
    { code: `${resourceClass}function f() { const r = new Resource(); work(r); r[Symbol.dispose](); }`, name: 'disposed through Symbol.dispose' },
    {
      code: 'function f() { const stack = new DisposableStack(); try { work(stack); } finally { stack.dispose(); } }',
      name: 'disposed in the cleanup try/finally',
    },
    {
      code: 'function f() { let stack = null; try { stack = new DisposableStack(); work(stack); } finally { if (stack) stack.dispose(); } }',
      name: 'disposed in a null-guarded finally',
    },
    {
      code: `${asyncResourceClass}async function f() { const c = new Connection(); try { await c.query(); } finally { await c[Symbol.asyncDispose](); } }`,
      name: 'async-disposed in finally',
    },
    {
      code: 'function f(items) { const stack = new DisposableStack(); items.forEach((item) => { if (!item) return; stack.defer(item); }); stack.dispose(); }',
      name: 'a return inside a callback does not skip the disposal',
    },
    {
      code: 'function f(outer) { const stack = new DisposableStack(); outer.use(stack); }',
      options: [{ callsTakeOwnership: false }],
      name: 'callsTakeOwnership false still lets a stack take it',
    },
    {
      code: 'async function f() { const stack = new AsyncDisposableStack(); stack.defer(g); return stack.disposeAsync(); }',
      name: 'a return that holds the disposal',
    },
    // A field disposed by the class's own dispose.
    {
      code: 'class Session { #cleanup = new DisposableStack(); [Symbol.dispose]() { this.#cleanup.dispose(); } }',
      name: 'a field disposed by the class’s Symbol.dispose',
    },
    {
      code: 'class Session { constructor() { this.stack = new DisposableStack(); } close() { this.stack.dispose(); } }',
      name: 'a field disposed by close()',
    },
    {
      code: 'class Session { start() { this.stack = new DisposableStack(); } stop() { this.stack?.dispose(); } }',
      name: 'a field disposed by another method',
    },
    {
      code: 'class Session { stack = new DisposableStack(); get resources() { return this.stack; } }',
      name: 'a field handed out by a getter',
    },
    { code: 'class Child extends Base { stack = new DisposableStack(); }', name: 'a field of a subclass of a class declared elsewhere' },
    { code: 'function f(target) { target.stack = new DisposableStack(); }', name: 'stored in another object' },
    // Reassignments and closures.
    {
      code: 'function f() { let stack = new DisposableStack(); stack.dispose(); stack = new DisposableStack(); stack.dispose(); }',
      name: 'reassigned, each disposed',
    },
    { code: 'let shared;\nfunction f() { shared = new DisposableStack(); }', name: 'assigned to a module variable' },
    {
      code: 'function f() { const stack = new DisposableStack(); process.on("exit", () => stack.dispose()); }',
      name: 'disposed by a closure',
    },
    { code: 'function f(outer) { const stack = new DisposableStack(); outer.defer(() => stack.dispose()); }', name: 'disposed by another stack’s defer' },
    // Not disposable without types.
    { code: 'function f() { const r = new Resource(); const s = open(); }', name: 'unknown classes and calls' },
    { code: 'class DisposableStack { use() {} }\nfunction f() { new DisposableStack(); }', name: 'a local class named DisposableStack without a dispose symbol' },
    { code: 'class Plain { close() {} }\nfunction f() { new Plain(); }', name: 'a local class without a dispose symbol' },
    { code: 'function f(x) { new DisposableStack().use(x); }', name: 'a temporary used in place is not reported (a builder may return it)' },
    // Options.
    {
      code: 'function f() { const pool = createPool(); try { work(pool); } finally { pool.close(); } }',
      options: [{ disposables: ['createPool'] }],
      name: 'a listed factory, closed in finally',
    },
  ],
  invalid: [
    {
      code: 'module.exports = function test(t, DisposableStack) {\n  const stack = new DisposableStack();\n  t.ok(stack.disposed === false);\n};',
      errors: [{ messageId: 'floating', line: 2, suggestions: [{ messageId: 'useUsing', output: 'module.exports = function test(t, DisposableStack) {\n  using stack = new DisposableStack();\n  t.ok(stack.disposed === false);\n};' }] }],
      name: 'a constructor injected under the built-in name (a shim’s tests)',
    },
    {
      code: "const { DisposableStack } = require('disposablestack');\nfunction f() {\n  new DisposableStack();\n}",
      errors: [{ messageId: 'discarded', line: 3 }],
      name: 'a required shim',
    },
    {
      code: 'new DisposableStack();',
      errors: [{ messageId: 'discarded', line: 1, column: 1, data: { what: 'a `DisposableStack`', where: '' } }],
      name: 'an expression statement',
    },
    {
      code: 'function f() {\n  const stack = new DisposableStack();\n  stack.defer(cleanup);\n}',
      errors: [
        {
          messageId: 'floating',
          line: 2,
          column: 17,
          data: { name: 'stack', what: 'a `DisposableStack`' },
          suggestions: [
            {
              messageId: 'useUsing',
              data: { name: 'stack' },
              output: 'function f() {\n  using stack = new DisposableStack();\n  stack.defer(cleanup);\n}',
            },
          ],
        },
      ],
      name: 'a stack that is never disposed',
    },
    {
      code: 'async function f() {\n  let stack = new AsyncDisposableStack();\n  stack.defer(cleanup);\n}',
      errors: [
        {
          messageId: 'floating',
          suggestions: [
            {
              messageId: 'useAwaitUsing',
              data: { name: 'stack' },
              output: 'async function f() {\n  await using stack = new AsyncDisposableStack();\n  stack.defer(cleanup);\n}',
            },
          ],
        },
      ],
      name: 'an async stack in an async function: await using',
    },
    {
      code: 'function f() {\n  const stack = new AsyncDisposableStack();\n}',
      errors: [{ messageId: 'floatingNoUsing', data: { name: 'stack', what: 'an `AsyncDisposableStack`', reason: 'it is only async-disposable, and `await using` needs an async function or a module\'s top level' } }],
      name: 'an async-only stack outside an async function: no suggestion',
    },
    {
      code: `${resourceClass}function f() {\n  const r = new Resource();\n  r.read();\n}`,
      errors: [
        {
          messageId: 'floating',
          line: 5,
          data: { name: 'r', what: 'an instance of `Resource`' },
          suggestions: [{ messageId: 'useUsing', output: `${resourceClass}function f() {\n  using r = new Resource();\n  r.read();\n}` }],
        },
      ],
      name: 'an instance of a class of the file with Symbol.dispose',
    },
    {
      code: `${asyncResourceClass}async function f() {\n  const c = new Connection();\n  await c.query();\n}`,
      errors: [
        {
          messageId: 'floating',
          suggestions: [{ messageId: 'useAwaitUsing', output: `${asyncResourceClass}async function f() {\n  await using c = new Connection();\n  await c.query();\n}` }],
        },
      ],
      name: 'an async-only local class: await using',
    },
    {
      code: `${resourceClass}class Special extends Resource {}\nfunction f() { const s = new Special(); }`,
      errors: [{ messageId: 'floating', data: { name: 's', what: 'an instance of `Special`' }, suggestions: [{ messageId: 'useUsing', output: `${resourceClass}class Special extends Resource {}\nfunction f() { using s = new Special(); }` }] }],
      name: 'a subclass of a local disposable class',
    },
    {
      code: 'function f() {\n  const stack = new DisposableStack();\n  setTimeout(() => stack.defer(g), 10);\n}',
      errors: [{ messageId: 'floatingNoUsing', data: { name: 'stack', what: 'a `DisposableStack`', reason: 'a closure captures it, and `using` would dispose it when the scope ends, maybe before the closure runs' } }],
      name: 'captured by a closure that does not dispose it: no suggestion, the message says why',
    },
    {
      code: 'function f() {\n  let stack = new DisposableStack();\n  stack = new DisposableStack();\n}',
      errors: [
        { messageId: 'floatingNoUsing', line: 2, data: { name: 'stack', what: 'a `DisposableStack`', reason: 'it is reassigned, and a `using` binding is constant' } },
        { messageId: 'floatingNoUsing', line: 3, data: { name: 'stack', what: 'a `DisposableStack`', reason: 'it is assigned to a variable declared elsewhere, not declared with its value' } },
      ],
      name: 'reassigned: each value floats, no suggestion',
    },
    {
      code: 'function f(ok) {\n  const stack = new DisposableStack();\n  if (ok) stack.dispose();\n}',
      errors: [{ messageId: 'disposedOnSomePaths', line: 2, data: { name: 'stack', what: 'a `DisposableStack`', line: 3 } }],
      name: 'disposed in a branch only',
    },
    {
      code: 'function f(ok) {\n  const stack = new DisposableStack();\n  if (!ok) return;\n  stack.dispose();\n}',
      errors: [{ messageId: 'disposedOnSomePaths', data: { name: 'stack', what: 'a `DisposableStack`', line: 4 } }],
      name: 'an earlier return skips the disposal',
    },
    {
      code: 'function f() {\n  const stack = new DisposableStack();\n  try { work(); } catch { stack.dispose(); }\n}',
      errors: [{ messageId: 'disposedOnSomePaths' }],
      name: 'disposed only in catch',
    },
    {
      code: 'class Session {\n  constructor() {\n    this.stack = new DisposableStack();\n  }\n}',
      errors: [{ messageId: 'fieldNotDisposed', line: 3, data: { what: 'a `DisposableStack`', field: 'stack', className: 'Session' } }],
      name: 'a field of a class without a disposer',
    },
    {
      code: 'class Session {\n  #cleanup = new DisposableStack();\n  [Symbol.dispose]() { log("bye"); }\n}',
      errors: [{ messageId: 'fieldNotDisposed', data: { what: 'a `DisposableStack`', field: '#cleanup', className: 'Session' } }],
      name: 'a field the class’s dispose forgets',
    },
    {
      code: 'function f() {\n  const stack = new DisposableStack();\n  expect(stack).toBeDefined();\n}',
      options: [{ nonOwningFunctions: ['expect'] }],
      errors: [{ messageId: 'floating' , suggestions: [{ messageId: 'useUsing', output: 'function f() {\n  using stack = new DisposableStack();\n  expect(stack).toBeDefined();\n}' }] }],
      name: 'nonOwningFunctions: expect() does not take the stack',
    },
    {
      code: 'function f() {\n  console.log(new DisposableStack());\n}',
      options: [{ nonOwningFunctions: ['console.log'] }],
      errors: [{ messageId: 'discarded', data: { what: 'a `DisposableStack`', where: ' after passing it to `console.log`, which does not take ownership' } }],
      name: 'nonOwningFunctions by dotted name, a temporary',
    },
    {
      code: 'function f() {\n  const stack = new DisposableStack();\n  register(stack);\n}',
      options: [{ callsTakeOwnership: false }],
      errors: [{ messageId: 'floating', suggestions: [{ messageId: 'useUsing', output: 'function f() {\n  using stack = new DisposableStack();\n  register(stack);\n}' }] }],
      name: 'callsTakeOwnership false: a call does not take it',
    },
    {
      code: 'function f(items) {\n  const stack = new DisposableStack();\n  for (const item of items) {\n    if (!item) return;\n  }\n  stack.dispose();\n}',
      errors: [{ messageId: 'disposedOnSomePaths', line: 2, data: { name: 'stack', what: 'a `DisposableStack`', line: 6 } }],
      name: 'a return inside a loop before the disposal',
    },
    {
      code: 'async function f() {\n  const pool = await createPool();\n  await pool.query();\n}',
      options: [{ disposables: ['createPool'] }],
      errors: [
        {
          messageId: 'floating',
          data: { name: 'pool', what: 'the value of `createPool()`' },
          suggestions: [{ messageId: 'useAwaitUsing', output: 'async function f() {\n  await using pool = await createPool();\n  await pool.query();\n}' }],
        },
      ],
      name: 'a listed factory whose protocol is unknown: await using in an async function',
    },
    {
      code: 'function f() {\n  const pool = new db.Pool();\n}',
      options: [{ disposables: ['Pool'] }],
      errors: [{ messageId: 'floating', suggestions: [{ messageId: 'useUsing', output: 'function f() {\n  using pool = new db.Pool();\n}' }] }],
      name: 'a listed constructor behind a namespace',
    },
    {
      code: 'for (const x of xs) {\n  var stack = new DisposableStack();\n}',
      errors: [{ messageId: 'floatingNoUsing', data: { name: 'stack', what: 'a `DisposableStack`', reason: 'a `using` declaration cannot stand here (a `var`, a `for` head, a `switch` case or a script\'s top level)' } }],
      name: 'var: no suggestion',
    },
  ],
});
