import { RuleTester } from '@typescript-eslint/rule-tester';

import rule from '../../rules/no-nested-reuse.js';

const ruleTester = new RuleTester();

/** A class whose methods share `this.mutex`, the shape of most real cross-function deadlocks. */
const account = (body: string): string => `
import { Mutex } from 'async-mutex';
class Account {
  mutex = new Mutex();
${body}
}`;

ruleTester.run('no-nested-reuse', rule, {
  valid: [
    // Sequential acquire / release / acquire of one lock.
    account(`
  async twice() {
    const release = await this.mutex.acquire();
    try { await work(); } finally { release(); }
    const again = await this.mutex.acquire();
    try { await work(); } finally { again(); }
  }`),
    account(`
  async viaMethod() {
    await this.mutex.acquire();
    await work();
    this.mutex.release();
    await this.mutex.acquire();
    this.mutex.release();
  }`),
    // runExclusive twice in a row, not nested.
    account(`
  async a() {
    await this.mutex.runExclusive(async () => work());
    await this.mutex.runExclusive(async () => work());
  }`),
    // Nested sections of two different locks.
    `import { Mutex } from 'async-mutex';
     const a = new Mutex();
     const b = new Mutex();
     await a.runExclusive(() => b.runExclusive(() => 1));`,
    // Two instances of one class each with its own lock.
    `import { Mutex } from 'async-mutex';
     class Box { lock = new Mutex(); }
     const left = new Box();
     const right = new Box();
     await left.lock.runExclusive(() => right.lock.runExclusive(() => 1));`,
    // Separate stacks per scope (the fix the Python docs give for ExitStack).
    `function outer() {
       using stack = new DisposableStack();
       {
         using inner = new DisposableStack();
         inner.defer(() => {});
       }
       stack.defer(() => {});
     }`,
    // move() hands ownership on: the callee owns the moved stack, the caller's is already disposed.
    `function take(stack: DisposableStack) { using owned = stack; }
     function give() {
       const stack = new DisposableStack();
       take(stack.move());
     }`,
    // A callee binding its parameter with `using` is fine when the caller never uses it again.
    `function take(stack: DisposableStack) { using owned = stack; }
     function give() { const stack = new DisposableStack(); take(stack); }`,
    // A stack created in each loop pass.
    `for (const x of [1, 2]) { using s = new DisposableStack(); s.defer(() => {}); }`,
    `function each(stacks: DisposableStack[]) { for (const s of stacks) { using owned = s; } }`,
    // Reentrant kinds declared by the user.
    {
      code: `const lock = new RLock();
             lock.withLock(() => lock.withLock(() => 1));`,
      options: [{ kinds: [{ name: 'RLock', scopedMethods: ['withLock'], reentrant: true }] }],
      name: 'a reentrant user kind may nest',
    },
    // A user kind named like a built-in replaces it: "our Semaphore is reentrant".
    {
      code: `import { Semaphore } from 'async-mutex';
             const s = new Semaphore(3);
             await s.runExclusive(() => s.runExclusive(() => 1));`,
      options: [{ kinds: [{ name: 'Semaphore', scopedMethods: ['runExclusive'], reentrant: true }] }],
      name: 'a user kind replaces the built-in Semaphore as reentrant',
    },
    // Two `new Pool()`s are two instances.
    {
      code: `const a = new Pool(); const b = new Pool();
             a.withConnection(() => b.withConnection(() => 1));`,
      options: [{ kinds: [{ name: 'Pool', scopedMethods: ['withConnection'] }] }],
      name: 'two new Pool()s are two instances',
    },
    // Shadowing: a class named Mutex declared in the file is not async-mutex's; it is not assumed
    // non-reentrant (declare it in `kinds` to teach the rule).
    `class Mutex { runExclusive<T>(cb: () => T): T { return cb(); } }
     const m = new Mutex();
     m.runExclusive(() => m.runExclusive(() => 1));`,
    // Web Locks: different names, a non-constant name, and ifAvailable / steal (never wait).
    `navigator.locks.request('a', async () => navigator.locks.request('b', async () => 1));`,
    `navigator.locks.request(name(), async () => navigator.locks.request(name(), async () => 1));`,
    `navigator.locks.request('a', async () => navigator.locks.request('a', { ifAvailable: true }, async (lock) => lock));`,
    `navigator.locks.request('a', async () => navigator.locks.request('a', { steal: true }, async () => 1));`,
    // A call cycle with no acquisition of the held lock terminates and reports nothing.
    account(`
  async entry() { await this.mutex.runExclusive(() => this.ping(3)); }
  ping(n: number): number { return n > 0 ? this.pong(n - 1) : 0; }
  pong(n: number): number { return this.ping(n); }`),
    // The lock is acquired only after the section is left.
    account(`
  async deposit() {
    await this.mutex.runExclusive(async () => work());
    await this.audit();
  }
  async audit() { await this.mutex.runExclusive(async () => work()); }`),
    // A callback handed to an API outside the file is not assumed to run inside the section.
    account(`
  async later() {
    await this.mutex.runExclusive(async () => { setTimeout(() => this.audit(), 10); });
  }
  async audit() { await this.mutex.runExclusive(async () => work()); }`),
    // Unknown receivers are never the same instance: a call result.
    `import { Mutex } from 'async-mutex';
     await get().runExclusive(() => get().runExclusive(() => 1));`,
    // acquire() on a receiver of unknown kind is too generic to count (pools, semaphores...).
    `const r = await pool.acquire(); await pool.acquire(); r();`,
    // A plain JS file with sequential sections.
    { filename: 'file.js', code: `const m = new Mutex(); await m.runExclusive(() => 1); await m.runExclusive(() => 2);` },
  ],
  invalid: [
    // 1. Type-only wrappers (`satisfies`, `<T>x`) name the same stack.
    {
      code: `function f(stack: DisposableStack) {
  using held = stack satisfies DisposableStack;
  {
    using again = <DisposableStack>stack;
  }
}`,
      errors: [
        {
          messageId: 'nestedUsing',
          line: 4,
          suggestions: [
            {
              messageId: 'splitStack',
              output: `function f(stack: DisposableStack) {
  using held = stack satisfies DisposableStack;
  {
    using again = new DisposableStack();
  }
}`,
            },
          ],
        },
      ],
    },
    // 1. The same stack bound by `using` while an enclosing `using` of it is active.
    {
      code: `function f() {
  using stack = new DisposableStack();
  {
    using again = stack;
  }
}`,
      errors: [
        {
          messageId: 'nestedUsing',
          line: 4,
          data: { instance: 'stack', holder: 'the enclosing `using` in `f`', line: 2 },
          suggestions: [
            {
              messageId: 'splitStack',
              output: `function f() {
  using stack = new DisposableStack();
  {
    using again = new DisposableStack();
  }
}`,
            },
          ],
        },
      ],
    },
    // 1. An existing stack bound in a loop body.
    {
      code: `function f(stack: DisposableStack, xs: number[]) {
  for (const x of xs) {
    using s = stack;
  }
}`,
      errors: [{ messageId: 'usingInLoop', line: 3, data: { instance: 'stack' } }],
    },
    {
      code: `class C { stack = new DisposableStack(); run() { while (go()) { using s = this.stack; } } }`,
      errors: [{ messageId: 'usingInLoop', data: { instance: 'this.stack' } }],
    },
    // 2. runExclusive inside its own runExclusive callback.
    {
      code: account(`
  async direct() {
    await this.mutex.runExclusive(async () => {
      await this.mutex.runExclusive(async () => work());
    });
  }`),
      errors: [{ messageId: 'nestedLock', line: 8, data: { instance: 'this.mutex', holder: 'the enclosing acquisition in `direct`', line: 7 } }],
    },
    // 2. acquire() between acquire() and release(); Semaphore's [value, release] tuple.
    {
      code: account(`
  async manual() {
    const release = await this.mutex.acquire();
    try {
      await this.mutex.acquire();
    } finally {
      release();
    }
  }`),
      errors: [{ messageId: 'nestedLock', line: 9 }],
    },
    {
      code: `import { Semaphore } from 'async-mutex';
const sem = new Semaphore(1);
async function f() {
  const [, release] = await sem.acquire();
  await sem.runExclusive(() => 1);
  release();
}`,
      errors: [{ messageId: 'nestedLock', line: 5 }],
    },
    // 2. withTimeout wrappers are the same lock kind.
    {
      code: `import { Mutex, withTimeout } from 'async-mutex';
const m = withTimeout(new Mutex(), 100);
await m.runExclusive(() => m.runExclusive(() => 1));`,
      errors: [{ messageId: 'nestedLock', line: 3 }],
    },
    // 2. A Web Lock request inside a callback holding the same name (literal and const).
    {
      code: `const AUTH = 'auth';
navigator.locks.request(AUTH, async () => {
  await navigator.locks.request('auth', { mode: 'exclusive' }, async () => 1);
});`,
      errors: [{ messageId: 'nestedLock', line: 3, data: { instance: 'lock "auth"', holder: 'the enclosing acquisition in `(module)`', line: 2 } }],
    },
    // 3. Across class methods: the message names the whole chain.
    {
      code: account(`
  async deposit(n: number) {
    await this.mutex.runExclusive(async () => {
      await this.audit(n);
    });
  }
  async audit(n: number) {
    await this.mutex.runExclusive(async () => n);
  }`),
      errors: [
        {
          messageId: 'nestedLockViaCall',
          line: 8,
          data: { chain: '`deposit` → `audit`', instance: 'this.mutex', holder: 'deposit', line: 7 },
        },
      ],
    },
    // 3. Private methods and fields, through a further call.
    {
      code: `import { Mutex } from 'async-mutex';
class Vault {
  #lock = new Mutex();
  async open() {
    const release = await this.#lock.acquire();
    try { await this.#check(); } finally { release(); }
  }
  async #check() { return this.#log(); }
  async #log() { return this.#lock.runExclusive(() => 1); }
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 6, data: { chain: '`open` → `#check` → `#log`', instance: 'this.#lock', holder: 'open', line: 5 } }],
    },
    // 3. Module functions and `const` arrow functions.
    {
      code: `import { Mutex } from 'async-mutex';
const lock = new Mutex();
const save = async () => lock.runExclusive(() => 1);
function flush() { return save(); }
export async function run() {
  await lock.runExclusive(async () => {
    await flush();
  });
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 7, data: { chain: '`run` → `flush` → `save`', instance: 'lock', holder: 'run', line: 6 } }],
    },
    // 3. Object-literal methods.
    {
      code: `import { Mutex } from 'async-mutex';
const store = {
  lock: new Mutex(),
  async put() { await this.lock.runExclusive(() => this.index()); },
  async index() { await this.lock.runExclusive(() => 1); },
};`,
      errors: [{ messageId: 'nestedLockViaCall', line: 4, data: { chain: '`put` → `index`', instance: 'this.lock', holder: 'put', line: 4 } }],
    },
    // 3. A callback passed to an in-file function that calls it.
    {
      code: account(`
  async deposit() {
    await this.mutex.runExclusive(async () => {
      await retry(() => this.audit());
    });
  }
  async audit() { await this.mutex.runExclusive(async () => 1); }
}
async function retry<T>(fn: () => Promise<T>): Promise<T> {
  return fn();`),
      errors: [{ messageId: 'nestedLockViaCall', line: 8, data: { chain: '`deposit` → `retry` → `audit`', instance: 'this.mutex', holder: 'deposit', line: 7 } }],
    },
    // 3. A lock wrapper (`withLock(cb)`) nested in itself: reported at the inner wrapper call.
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
async function withLock<T>(cb: () => Promise<T>): Promise<T> {
  const release = await m.acquire();
  try { return await cb(); } finally { release(); }
}
export async function outer() {
  await withLock(async () => {
    await withLock(async () => 1);
  });
}`,
      errors: [{ messageId: 'nestedLock', line: 9, data: { instance: 'm', holder: 'the enclosing `withLock` call in `outer`', line: 8 } }],
    },
    // 3. A wrapper taking the lock as a parameter (`withLock(this.mutex, cb)`), called from a section.
    {
      code: account(`
  async a() { await withLock(this.mutex, () => this.b()); }
  async b() { await withLock(this.mutex, async () => 1); }
}
async function withLock<T>(lock: Mutex, cb: () => Promise<T>): Promise<T> {
  return lock.runExclusive(cb);`),
      errors: [{ messageId: 'nestedLockViaCall', line: 6, data: { chain: '`a` → `b` → `withLock`', instance: 'this.mutex', holder: 'a', line: 6 } }],
    },
    // 3. A named function passed as the held callback.
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
async function work() { await m.runExclusive(() => 1); }
await m.runExclusive(work);`,
      errors: [{ messageId: 'nestedLockViaCall', line: 4, data: { chain: '`(module)` → `work`', instance: 'm', holder: '(module)', line: 4 } }],
    },
    // 3. Array callbacks (`map`, `forEach`) run synchronously inside the section.
    {
      code: account(`
  async all(xs: number[]) {
    await this.mutex.runExclusive(async () => {
      await Promise.all(xs.map((x) => this.one(x)));
    });
  }
  async one(x: number) { return this.mutex.runExclusive(() => x); }`),
      errors: [{ messageId: 'nestedLockViaCall', line: 8 }],
    },
    // 3. A call cycle that does reach an acquisition is reported once, and terminates.
    {
      code: account(`
  async entry() { await this.mutex.runExclusive(() => this.ping(3)); }
  async ping(n: number): Promise<number> { return n > 0 ? this.pong(n - 1) : this.mutex.runExclusive(() => 0); }
  async pong(n: number): Promise<number> { return this.ping(n); }`),
      errors: [{ messageId: 'nestedLockViaCall', line: 6, data: { chain: '`entry` → `ping`', instance: 'this.mutex', holder: 'entry', line: 6 } }],
    },
    // 3. `const` aliases of the lock are the same instance.
    {
      code: account(`
  async alias() {
    const m = this.mutex;
    const again = m;
    await m.runExclusive(() => again.runExclusive(() => 1));
  }`),
      errors: [{ messageId: 'nestedLock', line: 9 }],
    },
    // 4. A callee binds the caller's stack with `using` while the caller holds it.
    {
      code: `function helper(stack: DisposableStack) {
  using owned = stack;
}
function caller() {
  using stack = new DisposableStack();
  helper(stack);
}`,
      errors: [
        {
          messageId: 'nestedUsingViaCall',
          line: 6,
          data: { chain: '`caller` → `helper`', instance: 'stack', holder: 'caller', line: 5 },
          suggestions: [
            {
              messageId: 'splitStack',
              output: `function helper(stack: DisposableStack) {
  using owned = new DisposableStack();
}
function caller() {
  using stack = new DisposableStack();
  helper(stack);
}`,
            },
          ],
        },
      ],
    },
    // 4. A callee disposes the caller's stack, and the caller uses it afterwards.
    {
      code: `function helper(stack: DisposableStack) {
  using owned = stack;
}
function caller() {
  const stack = new DisposableStack();
  helper(stack);
  stack.defer(() => {});
}`,
      errors: [{ messageId: 'calleeDisposesArgument', line: 6, data: { chain: '`helper`', instance: 'stack', line: 7 } }],
    },
    // 4. Through a further call that forwards the parameter.
    {
      code: `function inner(s: DisposableStack) { using owned = s; }
function middle(s: DisposableStack) { inner(s); }
function caller() {
  const stack = new DisposableStack();
  middle(stack);
  stack.use(resource);
}`,
      errors: [{ messageId: 'calleeDisposesArgument', line: 5, data: { chain: '`middle` → `inner`', instance: 'stack', line: 6 } }],
    },
    // User-declared kinds: scoped and acquire/release methods.
    {
      code: `const pool = new Pool();
pool.withConnection(() => pool.withConnection(() => 1));`,
      options: [{ kinds: [{ name: 'Pool', scopedMethods: ['withConnection'] }] }],
      errors: [{ messageId: 'nestedLock', line: 2 }],
      name: 'user kind scoped method nested',
    },
    {
      code: `class Db { lock: SpinLock = make(); async run() { await this.lock.lock(); await this.lock.lock(); this.lock.unlock(); } }`,
      options: [{ kinds: [{ name: 'SpinLock', acquireMethods: ['lock'], releaseMethods: ['unlock'] }] }],
      errors: [{ messageId: 'nestedLock' }],
      name: 'user kind acquire/release methods nested',
    },
    // A user kind declared in the file is trusted (unlike a local class named like a built-in).
    {
      code: `class Mutex { runExclusive<T>(cb: () => T): T { return cb(); } }
const m = new Mutex();
m.runExclusive(() => m.runExclusive(() => 1));`,
      options: [{ kinds: [{ name: 'Mutex', scopedMethods: ['runExclusive'] }] }],
      errors: [{ messageId: 'nestedLock', line: 3 }],
      name: 'a locally declared class named in kinds is trusted',
    },
    // `.js` files, CommonJS namespace construction as compilers emit it.
    {
      filename: 'file.js',
      code: `const async_mutex_1 = require('async-mutex');
class Queue {
  constructor() { this.lock = new async_mutex_1.Mutex(); }
  async push() { await this.lock.runExclusive(() => this.drain()); }
  async drain() { await this.lock.runExclusive(() => 1); }
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 4, data: { chain: '`push` → `drain`', instance: 'this.lock', holder: 'push', line: 4 } }],
    },
    // A lock helper taking the lock as an untyped parameter: its kind comes from the callers in
    // the file, so `mutex.acquire()` counts (MetaMask's `withLock(mutex, callback)` shape).
    {
      filename: 'file.js',
      code: `import { Mutex } from 'async-mutex';
async function withLock(mutex, callback) {
  const releaseLock = await mutex.acquire();
  try { return await callback({ releaseLock }); } finally { releaseLock(); }
}
class Controller {
  #lock = new Mutex();
  #withControllerLock(callback) { return withLock(this.#lock, callback); }
  #persist(callback) { return this.#withControllerLock(async () => callback()); }
  async addAccount() { return this.#persist(async () => this.removeAccount()); }
  async removeAccount() { return this.#persist(async () => 1); }
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 10, data: { chain: '`addAccount` → `removeAccount` → `#persist` → `#withControllerLock` → `withLock`', instance: 'this.#lock', holder: 'addAccount', line: 10 } }],
    },
    // A Web Lock wrapper (Supabase-style) and a lock name built from `this`.
    {
      code: `function withAuthLock(fn: () => Promise<void>) {
  return navigator.locks.request('auth', fn);
}
export async function signIn() {
  await withAuthLock(async () => {
    await withAuthLock(async () => refresh());
  });
}`,
      errors: [{ messageId: 'nestedLock', line: 6, data: { instance: 'lock "auth"', holder: 'the enclosing `withAuthLock` call in `signIn`', line: 5 } }],
    },
    {
      code: `class Client {
  storageKey = 'sb';
  async run() {
    await navigator.locks.request(\`lock:\${this.storageKey}\`, async () => this.session());
  }
  async session() {
    return globalThis.navigator.locks.request(\`lock:\${this.storageKey}\`, { mode: 'exclusive' }, async () => 1);
  }
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 4, data: { chain: '`run` → `session`', instance: 'lock `lock:${this.storageKey}`', holder: 'run', line: 4 } }],
    },
    // TypeScript's down-levelled private members (what published packages ship below ES2022).
    {
      filename: 'file.js',
      code: `var _Q_instances, _Q_mutex, _Q_drain;
import { Mutex } from 'async-mutex';
class Q {
  constructor() { _Q_instances.add(this); _Q_mutex.set(this, new Mutex()); }
  async push() {
    await __classPrivateFieldGet(this, _Q_mutex, "f").runExclusive(() => __classPrivateFieldGet(this, _Q_instances, "m", _Q_drain).call(this));
  }
}
_Q_mutex = new WeakMap(), _Q_instances = new WeakSet(), _Q_drain = async function _Q_drain() {
  const release = await __classPrivateFieldGet(this, _Q_mutex, "f").acquire();
  release();
};`,
      errors: [{ messageId: 'nestedLockViaCall', line: 6, data: { chain: '`push` → `#drain`', instance: 'this.#_Q_mutex', holder: 'push', line: 6 } }],
    },
    // runExclusive on a receiver whose declaration is elsewhere still counts (the method name is
    // async-mutex's own); the same instance is the same path.
    {
      code: `export async function f(service: { lock: { runExclusive<T>(cb: () => T): T } }) {
  await service.lock.runExclusive(() => service.lock.runExclusive(() => 1));
}`,
      errors: [{ messageId: 'nestedLock', line: 2 }],
    },
  ],
});
