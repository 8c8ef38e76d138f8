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
    // A `disposed` check guards its branch.
    {
      code: `function f(done: boolean) {
  const stack = new DisposableStack();
  if (done) stack.dispose();
  if (!stack.disposed) stack.defer(() => {});
}`,
      options: [{ reportOnSomePaths: true }],
      name: 'if (!stack.disposed) guards the use',
    },
    {
      code: `function f(done: boolean) {
  const stack = new DisposableStack();
  if (done) stack.dispose();
  if (stack.disposed) return;
  stack.use(resource);
}`,
      options: [{ reportOnSomePaths: true }],
      name: 'if (stack.disposed) return; guards what follows',
    },
    {
      code: `function f(done: boolean) {
  const stack = new DisposableStack();
  if (done) stack.dispose();
  if (stack.disposed) { log('closed'); } else { stack.use(resource); }
  stack.disposed || stack.defer(() => {});
  !stack.disposed && stack.defer(() => {});
}`,
      options: [{ reportOnSomePaths: true }],
      name: 'else branch, ||, && forms of the check',
    },
    {
      code: `function f(xs: number[]) {
  const stack = new DisposableStack();
  for (const x of xs) {
    if (stack.disposed) break;
    stack.defer(() => x);
    if (x > 3) stack.dispose();
  }
}`,
      options: [{ reportOnSomePaths: true }],
      name: 'a check at the top of a loop body guards the next pass',
    },
    // Loops: a stack disposed after the loop, or created in each pass, or the loop left at once.
    `function f(xs: number[]) {
       const stack = new DisposableStack();
       for (const x of xs) stack.defer(() => x);
       stack.dispose();
     }`,
    `function f(xs: number[]) {
       let stack = new DisposableStack();
       for (const x of xs) {
         stack.defer(() => x);
         stack.dispose();
         stack = new DisposableStack();
       }
     }`,
    `function f(xs: number[]) {
       const stack = new DisposableStack();
       for (const x of xs) {
         stack.defer(() => x);
         stack.dispose();
         break;
       }
     }`,
    // A use after the loop: disposed only if the loop ran (some path, quiet by default).
    `function f(xs: number[]) {
       const stack = new DisposableStack();
       for (const x of xs) { stack.dispose(); }
       stack.defer(() => {});
     }`,
    // A plain JS file (no annotation: recognised from the constructor).
    { filename: 'file.js', code: `const s = new DisposableStack(); s.use(r); s.dispose();` },
  ],
  invalid: [
    // A type-only wrapper names the same stack.
    {
      code: `const stack = new DisposableStack();
stack.dispose();
(stack satisfies DisposableStack).use(resource);`,
      errors: [{ messageId: 'useAfterDispose', line: 3, data: { instance: 'stack', method: 'use', how: '`dispose()`', line: 2 } }],
    },
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
    // Loops are flow too: the second pass uses what the first pass disposed.
    {
      code: `function f(xs: number[]) {
  const stack = new DisposableStack();
  for (const x of xs) {
    stack.defer(() => x);
    stack.dispose();
  }
}`,
      errors: [{ messageId: 'useAfterDisposeInLoop', line: 4, data: { instance: 'stack', method: 'defer', how: '`dispose()`', line: 5 } }],
      name: 'loop: disposed at the end of the body, used in the next pass',
    },
    {
      code: `function f(stack: DisposableStack) {
  while (more()) {
    stack.use(open());
    {
      using scoped = stack;
    }
  }
}`,
      errors: [{ messageId: 'useAfterDisposeInLoop', line: 3 }],
      name: 'loop: a using scope in the body disposes the stack for the next pass',
    },
    {
      code: `function f(xs: number[], c: boolean) {
  const stack = new DisposableStack();
  for (const x of xs) {
    stack.defer(() => x);
    if (c) stack.dispose();
    else stack.move();
  }
}`,
      // move() is a use as well: in the next pass it too runs on the disposed stack.
      errors: [
        { messageId: 'useAfterDisposeInLoop', line: 4 },
        { messageId: 'useAfterDisposeInLoop', line: 6 },
      ],
      name: 'loop: disposed on every path of the body',
    },
    {
      code: `function f(xs: number[], c: boolean) {
  const stack = new DisposableStack();
  for (const x of xs) {
    stack.defer(() => x);
    if (c) stack.dispose();
  }
}`,
      options: [{ reportOnSomePaths: true }],
      errors: [{ messageId: 'useAfterDisposeOnSomePath', line: 4 }],
      name: 'reportOnSomePaths: loop disposing on some passes only',
    },
    // A disposed check that does not guard the use.
    {
      code: `function f() {
  const stack = new DisposableStack();
  stack.dispose();
  if (stack.disposed) log('gone');
  stack.defer(() => {});
}`,
      errors: [{ messageId: 'useAfterDispose', line: 5 }],
      name: 'a disposed check whose branch falls through guards nothing',
    },
    {
      code: `function f() {
  const stack = new DisposableStack();
  stack.dispose();
  if (!stack.disposed) log('live');
  else stack.defer(() => {});
}`,
      errors: [{ messageId: 'useAfterDispose', line: 5 }],
      name: 'a use on the branch where the check says disposed',
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
