/**
 * With type information the rules recognise more instances (a factory-made Mutex, a
 * DisposableStack from a declared function), never fewer: the same code without types is quiet
 * about those and reports everything else the same.
 */
import { fileURLToPath } from 'node:url';

import { RuleTester } from '@typescript-eslint/rule-tester';

import noNestedReuse from '../../../rules/no-nested-reuse.js';
import noUseAfterDispose from '../../../rules/no-use-after-dispose.js';

const tsconfigRootDir = fileURLToPath(new URL('../../fixtures/typed', import.meta.url));

const typedTester = new RuleTester({
  languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir } },
});
const untypedTester = new RuleTester();

const factoryMutex = `import { createMutex } from 'async-mutex';
class Account {
  lock = createMutex();
  async deposit() {
    await this.lock.runExclusive(async () => this.audit());
  }
  async audit() {
    const release = await this.lock.acquire();
    try {
      const again = await this.lock.acquire();
      again();
    } finally {
      release();
    }
  }
}`;

const declaredStack = `const stack = openStack();
stack.dispose();
stack.use(resource);`;

const localMutex = `class Mutex { acquire(): Promise<() => void> { return Promise.resolve(() => {}); } }
const m = new Mutex();
export async function f() { const r = await m.acquire(); await m.acquire(); r(); }`;

/** Recognised without types (constructor): the typed run must report exactly the same. */
const constructedMutex = `import { Mutex } from 'async-mutex';
class Account {
  mutex = new Mutex();
  async deposit() { await this.mutex.runExclusive(async () => this.audit()); }
  async audit() { const release = await this.mutex.acquire(); release(); }
}`;
const constructedMutexErrors = [
  { messageId: 'nestedLockViaCall', line: 4, data: { chain: '`deposit` → `audit`', instance: 'this.mutex', holder: 'deposit', line: 4 } },
] as const;

untypedTester.run('no-nested-reuse (constructed, no types)', noNestedReuse, {
  valid: [],
  invalid: [{ code: constructedMutex, errors: constructedMutexErrors }],
});

typedTester.run('no-nested-reuse (typed)', noNestedReuse, {
  valid: [
    // A class named Mutex declared in the file is not async-mutex's, with types too.
    localMutex,
  ],
  invalid: [
    { code: constructedMutex, errors: constructedMutexErrors },
    {
      code: factoryMutex,
      errors: [
        // runExclusive is recognised with or without types; `acquire` needs the kind.
        { messageId: 'nestedLockViaCall', line: 5, data: { chain: '`deposit` → `audit`', instance: 'this.lock', holder: 'deposit', line: 5 } },
        { messageId: 'nestedLock', line: 10 },
      ],
    },
  ],
});

untypedTester.run('no-nested-reuse (same code, no types)', noNestedReuse, {
  // Without types `createMutex()` is of unknown kind and `acquire()` is too generic a name to
  // count on an unknown receiver, so neither problem is seen; the typed run finds both.
  valid: [localMutex, factoryMutex],
  invalid: [
    {
      code: `${factoryMutex}
export async function twice(a: Account) { await a.lock.runExclusive(() => a.lock.runExclusive(() => 1)); }`,
      errors: [{ messageId: 'nestedLock', line: 17 }],
      name: 'runExclusive needs no type: nested on the factory-made lock',
    },
  ],
});

typedTester.run('no-use-after-dispose (typed)', noUseAfterDispose, {
  valid: [],
  invalid: [{ code: declaredStack, errors: [{ messageId: 'useAfterDispose', line: 3 }] }],
});

untypedTester.run('no-use-after-dispose (same code, no types)', noUseAfterDispose, {
  valid: [declaredStack],
  invalid: [],
});
