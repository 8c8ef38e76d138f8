import { RuleTester } from '@typescript-eslint/rule-tester';

import rule from '../../rules/no-use-after-dispose.js';

const ruleTester = new RuleTester();

ruleTester.run('no-use-after-dispose', rule, {
  valid: [
    // Use before disposal.
    `const stack = new DisposableStack(); stack.defer(() => {}); stack.dispose();`,
    // Use on another branch than the disposal.
    `function f(done: boolean) {
       const stack = new DisposableStack();
       if (done) stack.dispose();
       else stack.defer(() => {});
     }`,
    // Disposed on some path only: quiet by default.
    `function f(done: boolean) {
       const stack = new DisposableStack();
       if (done) stack.dispose();
       stack.defer(() => {});
     }`,
    // The stack returned by move() is live.
    `const stack = new DisposableStack(); const next = stack.move(); next.use(resource);`,
    // A stack created again.
    `let stack = new DisposableStack(); stack.dispose(); stack = new DisposableStack(); stack.use(resource);`,
    `for (const x of xs) { const stack = new DisposableStack(); stack.defer(() => x); stack.dispose(); }`,
    // dispose() twice is a no-op, not a use.
    `const stack = new DisposableStack(); stack.dispose(); stack.dispose();`,
    // A different stack.
    `const a = new DisposableStack(); const b = new DisposableStack(); a.dispose(); b.use(resource);`,
    // `using` scope: the stack is used inside, not after.
    `function f() { const s = new DisposableStack(); { using held = s; s.defer(() => {}); } }`,
    // Not a known stack (no constructor, annotation or type): `dispose` is too common a name.
    `function f(thing: Widget) { thing.dispose(); thing.use(x); }`,
    // A use inside a closure is a different code path (it may run before the disposal).
    `const stack = new DisposableStack(); stack.dispose(); later(() => stack.use(resource));`,
    // Early return after disposal.
    `function f(stop: boolean) {
       const stack = new DisposableStack();
       if (stop) { stack.dispose(); return; }
       stack.use(resource);
     }`,
    // Disposal in a catch clause that rethrows.
    `function f() {
       const stack = new DisposableStack();
       try { setup(stack); } catch (error) { stack.dispose(); throw error; }
       stack.use(resource);
     }`,
    // A plain JS file (no annotation: recognised from the constructor).
    { filename: 'file.js', code: `const s = new DisposableStack(); s.use(r); s.dispose();` },
  ],
  invalid: [
    // After dispose().
    {
      code: `const stack = new DisposableStack();
stack.dispose();
stack.use(resource);`,
      errors: [{ messageId: 'useAfterDispose', line: 3, data: { instance: 'stack', method: 'use', how: '`dispose()`', line: 2 } }],
    },
    // After move(): the original is disposed.
    {
      code: `const stack = new DisposableStack();
const next = stack.move();
stack.defer(() => {});`,
      errors: [{ messageId: 'useAfterDispose', line: 3, data: { instance: 'stack', method: 'defer', how: '`move()`', line: 2 } }],
    },
    // move() again is itself a use.
    {
      code: `const stack = new DisposableStack(); stack.move(); stack.move();`,
      errors: [{ messageId: 'useAfterDispose', column: 52 }],
    },
    // AsyncDisposableStack and disposeAsync().
    {
      code: `async function f() {
  const stack = new AsyncDisposableStack();
  await stack.disposeAsync();
  stack.adopt(handle, (h) => h.close());
}`,
      errors: [{ messageId: 'useAfterDispose', line: 4 }],
    },
    // Disposed on every path (both branches).
    {
      code: `function f(c: boolean) {
  const stack = new DisposableStack();
  if (c) stack.dispose();
  else stack.move();
  stack.use(resource);
}`,
      errors: [{ messageId: 'useAfterDispose', line: 5 }],
    },
    // After the `using` scope that disposed an existing stack.
    {
      code: `function f(stack: DisposableStack) {
  {
    using scoped = stack;
  }
  stack.defer(() => {});
}`,
      errors: [{ messageId: 'useAfterDispose', line: 5, data: { instance: 'stack', method: 'defer', how: 'the end of its `using` scope', line: 4 } }],
    },
    // After the `using` scope, through a variable the stack was stored in.
    {
      filename: 'file.js',
      code: `function f() {
  let kept;
  {
    using stack = new DisposableStack();
    kept = stack;
  }
  kept.use(resource);
}`,
      errors: [{ messageId: 'useAfterDispose', line: 7 }],
    },
    // Class fields, this.#field paths.
    {
      code: `class Holder {
  #stack = new DisposableStack();
  close() {
    this.#stack.dispose();
    this.#stack.defer(() => {});
  }
}`,
      errors: [{ messageId: 'useAfterDispose', line: 5, data: { instance: 'this.#stack', method: 'defer', how: '`dispose()`', line: 4 } }],
    },
    // const aliases.
    {
      code: `const stack = new DisposableStack(); const same = stack; same.dispose(); stack.use(resource);`,
      errors: [{ messageId: 'useAfterDispose' }],
    },
    // Disposed on some path: reported with the option.
    {
      code: `function f(c: boolean) {
  const stack = new DisposableStack();
  if (c) stack.dispose();
  stack.defer(() => {});
}`,
      options: [{ reportOnSomePaths: true }],
      errors: [{ messageId: 'useAfterDisposeOnSomePath', line: 4 }],
      name: 'reportOnSomePaths: disposed on one branch',
    },
    // A loop: the second pass uses what the first pass disposed (some path).
    {
      code: `function f(xs: number[]) {
  const stack = new DisposableStack();
  for (const x of xs) {
    stack.defer(() => x);
    stack.dispose();
  }
}`,
      options: [{ reportOnSomePaths: true }],
      errors: [{ messageId: 'useAfterDisposeOnSomePath', line: 4 }],
      name: 'reportOnSomePaths: loop back edge',
    },
    // A parameter is a stack when the callers in the file pass one.
    {
      filename: 'file.js',
      code: `function finish(stack) {
  stack.dispose();
  stack.defer(() => {});
}
finish(new DisposableStack());`,
      errors: [{ messageId: 'useAfterDispose', line: 3 }],
    },
    // Inner call argument is evaluated first: `stack.use(stack.dispose())`.
    {
      code: `const stack = new DisposableStack(); stack.use(stack.dispose());`,
      errors: [{ messageId: 'useAfterDispose' }],
    },
  ],
});
