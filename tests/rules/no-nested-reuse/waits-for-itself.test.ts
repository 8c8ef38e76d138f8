import { RuleTester } from '@typescript-eslint/rule-tester';

import rule from '../../../rules/no-nested-reuse.js';

const ruleTester = new RuleTester();

/** Issue 7: only an acquisition the held section waits for is a self-deadlock. */
ruleTester.run('no-nested-reuse: only what waits for itself', rule, {
  valid: [
    // Deno std's Semaphore tests: a second acquire passed to a helper, chained with `.then`,
    // or stored is queued, not waited for by the holder.
    {
      code: `import { Semaphore } from './semaphore.ts';
Deno.test('blocks', async () => {
  const sem = new Semaphore(1);
  await sem.acquire();
  await assertBlocks(sem.acquire(), () => sem.release());
});`,
      name: 'acquire passed to a function',
    },
    {
      code: `import { Semaphore } from './semaphore.ts';
Deno.test('fifo', async () => {
  const sem = new Semaphore(1);
  await sem.acquire();
  const p1 = sem.acquire().then(() => order.push(1));
  const p2 = sem.acquire();
  sem.release();
  await p1;
});`,
      name: 'acquire chained with .then and stored',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f() {
  await m.runExclusive(async () => {
    void m.runExclusive(async () => 1);
    m.runExclusive(async () => 2);
  });
}`,
      name: 'void and discarded runExclusive inside a section',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f(emitter) {
  await m.runExclusive(async () => {
    setTimeout(async () => { await m.acquire(); }, 10);
    emitter.on('data', async () => { await m.runExclusive(() => 1); });
  });
}`,
      name: 'a later callback (timer, event listener) awaits the lock, the section does not',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
function schedule() { m.runExclusive(async () => flush()); }
export async function f() {
  await m.runExclusive(async () => { await schedule(); });
}`,
      name: 'a callee whose acquisition is not awaited',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
async function audit() { await m.runExclusive(() => 1); }
export async function f() {
  await m.runExclusive(async () => { audit(); });
}`,
      name: 'a call in the section that is not awaited',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f(xs) {
  await m.runExclusive(async () => { xs.forEach(async () => { await m.acquire(); }); });
}`,
      name: 'forEach with an async callback: nobody waits for it',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f() { await m.waitForUnlock(); await m.runExclusive(() => 1); }`,
      name: 'waitForUnlock outside any hold',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f() { await m.runExclusive(async () => { const done = m.waitForUnlock(); return done; }); }`,
      name: 'waitForUnlock not awaited inside the hold',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f() {
  const release = await m.acquire();
  try { return m.runExclusive(() => 1); } finally { release(); }
}`,
      name: 'a returned acquisition inside acquire … finally release: released before it waits',
    },
    {
      code: `class Db { lock: SpinLock = make(); run() { this.lock.lock(); this.lock.lock(); this.lock.unlock(); } }`,
      options: [{ kinds: [{ name: 'SpinLock', acquireMethods: ['lock'], releaseMethods: ['unlock'] }] }],
      name: 'a synchronous user lock method that is not awaited is a queued request',
    },
    // Instances are per call.
    {
      code: `export function walk(node) {
  using stack = new DisposableStack();
  stack.defer(() => leave(node));
  for (const child of node.children) walk(child);
}`,
      name: 'a recursive function scoping its own stack (what try-finally-to-using writes)',
    },
    {
      code: `import { Mutex } from 'async-mutex';
export async function visit(node) {
  const m = new Mutex();
  await m.runExclusive(async () => {
    for (const child of node.children) await visit(child);
  });
}`,
      name: 'a recursive function with its own mutex',
    },
    {
      code: `function register(s) { using owned = s; }
export function walk(node) {
  using stack = new DisposableStack();
  if (node.next) walk(node.next);
  else register(new DisposableStack());
}`,
      name: 'recursion passing its own fresh stack to a helper',
    },
    {
      code: `import { Mutex } from 'async-mutex';
async function withFreshLock(cb) { const m = new Mutex(); return m.runExclusive(cb); }
export async function f() { await withFreshLock(async () => { await withFreshLock(async () => 1); }); }`,
      name: 'a wrapper that makes its own lock per call',
    },
    {
      code: `import { Mutex } from 'async-mutex';
export async function f(m, depth) {
  await m.runExclusive(async () => { if (depth) await f(new Mutex(), depth - 1); });
}`,
      name: 'a recursive call passing an unknown lock',
    },
    {
      code: `import { Mutex } from 'async-mutex';
class Queue {
  mutex = new Mutex();
  async drain(): Promise<void> {
    await this.mutex.runExclusive(async () => {
      if (this.pending) void this.drain();
      setTimeout(() => this.drain(), 0);
    });
    if (this.more) await this.drain();
  }
}`,
      name: 'recursion scheduled from the section, or awaited after it, does not wait for itself',
    },
    // Semaphore capacity.
    {
      code: `import { Semaphore } from 'async-mutex';
const sem = new Semaphore(2);
export async function f() {
  await sem.runExclusive(async () => { await sem.runExclusive(async () => 1); });
}`,
      name: 'Semaphore(2) held once: a second permit is granted',
    },
    {
      code: `import { Semaphore } from './semaphore.ts';
Deno.test('two permits', async () => {
  const sem = new Semaphore(2);
  await sem.acquire();
  await sem.acquire();
  await assertBlocks(sem.acquire(), () => sem.release());
});`,
      name: 'Deno std: two awaited acquires of Semaphore(2)',
    },
    {
      code: `import { Semaphore } from 'async-mutex';
export async function f(limit: number) {
  const sem = new Semaphore(limit);
  await sem.runExclusive(async () => { await sem.runExclusive(async () => 1); });
}`,
      name: 'a capacity the file does not spell is assumed large enough',
    },
    {
      code: `import { Semaphore } from 'async-mutex';
const sem = new Semaphore(3);
async function inner() { await sem.runExclusive(() => 1); }
export async function outer() { await sem.runExclusive(async () => { await inner(); }); }`,
      name: 'Semaphore(3) through a call, held once',
    },
    // Web Locks options.
    {
      code: `export async function f() {
  await navigator.locks.request('db', async () => {
    await navigator.locks.request('db', { ifAvailable: true }, async (lock) => lock);
    await navigator.locks.request('db', { steal: true }, async () => 1);
  });
}`,
      name: 'ifAvailable and steal inside a hold of the same name never wait',
    },
  ],
  invalid: [
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f() {
  await m.runExclusive(async () => {
    await m.acquire();
  });
}`,
      errors: [{ messageId: 'nestedLock', line: 5 }],
      name: 'an awaited acquire inside its own runExclusive',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f(xs) {
  await m.runExclusive(async () => {
    await Promise.all(xs.map(async () => { await m.acquire(); }));
  });
}`,
      errors: [{ messageId: 'nestedLock', line: 5 }],
      name: 'Promise.all over a map inside the section waits for every callback',
    },
    {
      code: `import { Semaphore } from './semaphore.ts';
export async function f() {
  const sem = new Semaphore(1);
  using permit = await sem.acquire();
  {
    await using again = await sem.acquire();
  }
}`,
      errors: [{ messageId: 'nestedLock', line: 6 }],
      name: 'await using of an awaited acquire (Deno std Semaphore) inside its hold',
    },
    {
      code: `import { Mutex } from 'async-mutex';
const m = new Mutex();
export async function f() {
  await m.runExclusive(async () => {
    await m.waitForUnlock();
  });
}`,
      errors: [{ messageId: 'waitsForOwnUnlock', line: 5, data: { instance: 'm', holder: 'the enclosing acquisition in `f`', line: 4 } }],
      name: 'waitForUnlock awaited while the same Mutex is held',
    },
    {
      code: `import { Mutex } from 'async-mutex';
class Q {
  m = new Mutex();
  async settle() { await this.m.waitForUnlock(); }
  async run() { await this.m.runExclusive(async () => { await this.settle(); }); }
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 5, data: { chain: '`run` → `settle`', instance: 'this.m', holder: 'run', line: 5 } }],
      name: 'waitForUnlock reached through a call',
    },
    // Shared instances: a field, a module variable, a parameter, a closure variable.
    {
      code: `import { Mutex } from 'async-mutex';
class Queue {
  mutex = new Mutex();
  async drain(): Promise<void> {
    await this.mutex.runExclusive(async () => {
      if (this.pending) await this.drain();
    });
  }
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 6, data: { chain: '`drain` → `drain`', instance: 'this.mutex', holder: 'drain', line: 5 } }],
      name: 'recursion through the held section: a method awaiting itself inside runExclusive',
    },
    {
      code: `import { Mutex } from 'async-mutex';
export async function f(m: Mutex, depth: number) {
  await m.runExclusive(async () => { if (depth) await f(m, depth - 1); });
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 3, data: { chain: '`f` → `f`', instance: 'm', holder: 'f', line: 3 } }],
      name: 'recursion passing the same lock on',
    },
    {
      code: `import { Mutex } from 'async-mutex';
export function make() {
  const m = new Mutex();
  async function step(n) {
    await m.runExclusive(async () => { if (n) await step(n - 1); });
  }
  return step;
}`,
      errors: [{ messageId: 'nestedLockViaCall', line: 5, data: { chain: '`step` → `step`', instance: 'm', holder: 'step', line: 5 } }],
      name: 'a closure variable of an outer function is shared by the inner recursion',
    },
    {
      code: `const shared = new DisposableStack();
export function walk(node) {
  using scope = shared;
  if (node.next) walk(node.next);
}`,
      errors: [
        {
          messageId: 'nestedUsingViaCall',
          line: 4,
          data: { chain: '`walk` → `walk`', instance: 'shared', holder: 'walk', line: 3 },
          // Nothing else uses the module stack: each call can have its own, and the module
          // stack, now unused and never disposed, goes.
          suggestions: [
            {
              messageId: 'splitStack',
              output: `export function walk(node) {
  using scope = new DisposableStack();
  if (node.next) walk(node.next);
}`,
            },
          ],
        },
      ],
      name: 'a module stack re-bound by a recursive function',
    },
    // Semaphore capacity.
    {
      code: `import { Semaphore } from 'async-mutex';
const sem = new Semaphore(1);
export async function f() {
  await sem.runExclusive(async () => { await sem.runExclusive(async () => 1); });
}`,
      errors: [{ messageId: 'nestedLock', line: 4 }],
      name: 'Semaphore(1) is a mutex',
    },
    {
      code: `import { Semaphore } from 'async-mutex';
const sem = new Semaphore(2);
export async function f() {
  await sem.runExclusive(async () => {
    await sem.runExclusive(async () => {
      await sem.runExclusive(async () => 1);
    });
  });
}`,
      errors: [{ messageId: 'nestedLock', line: 6 }],
      name: 'Semaphore(2) nested twice waits at the third level',
    },
    {
      code: `import { Semaphore } from 'async-mutex';
const sem = new Semaphore(3);
export async function f() {
  const [, release] = await sem.acquire(2);
  try { await sem.acquire(2); } finally { release(); }
}`,
      errors: [{ messageId: 'nestedLock', line: 5 }],
      name: 'a weight that exceeds what is left',
    },
    {
      code: `import { Semaphore } from './semaphore.ts';
export async function f() {
  const sem = new Semaphore();
  await sem.acquire();
  await sem.acquire();
}`,
      errors: [{ messageId: 'nestedLock', line: 5 }],
      name: "Deno std's Semaphore() admits one",
    },
    // Web Locks modes.
    {
      code: `export async function f() {
  await navigator.locks.request('db', { mode: 'shared' }, async () => {
    await navigator.locks.request('db', async () => 1);
  });
}`,
      errors: [{ messageId: 'nestedLock', line: 3 }],
      name: 'exclusive inside a shared hold of the same name',
    },
    {
      code: `export async function f() {
  await navigator.locks.request('db', async () => {
    await navigator.locks.request('db', { mode: 'shared' }, async () => 1);
  });
}`,
      errors: [{ messageId: 'nestedLock', line: 3 }],
      name: 'shared inside an exclusive hold of the same name',
    },
    {
      code: `export async function f() {
  await navigator.locks.request('db', { mode: 'shared' }, async () => {
    await navigator.locks.request('db', { mode: 'shared' }, async () => 1);
  });
}`,
      errors: [{ messageId: 'nestedSharedLock', line: 3, data: { instance: 'lock "db"', holder: 'the enclosing acquisition in `f`', line: 2 } }],
      name: 'shared inside shared: blocked by any exclusive request queued in between',
    },
    {
      code: `export class Store {
  baseName = 'store';
  async save(id: string) {
    const lockName = \`lock:\${this.baseName}:\${id}\`;
    await navigator.locks.request(lockName, async () => {
      await navigator.locks.request(lockName, async () => 1);
    });
  }
}`,
      errors: [{ messageId: 'nestedLock', line: 6, data: { instance: 'lock lockName', holder: 'the enclosing acquisition in `save`', line: 5 } }],
      name: 'a name built from paths in a const: the message shows the name as written, not internal ids',
    },
    {
      code: `async function read() { return navigator.locks.request('db', { mode: 'shared' }, async () => 1); }
export async function f() {
  await navigator.locks.request('db', { mode: 'shared' }, async () => { await read(); });
}`,
      errors: [{ messageId: 'nestedSharedLockViaCall', line: 3, data: { chain: '`f` → `read`', instance: 'lock "db"', holder: 'f', line: 3 } }],
      name: 'shared inside shared through a call',
    },
  ],
});
