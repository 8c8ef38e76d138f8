// Lock nesting has no mechanical fix: the rule explains the redesign, the codemod leaves it.
import { Mutex } from 'async-mutex';

const mutex = new Mutex();

export async function twice(): Promise<number> {
  using stack = new DisposableStack();
  stack.defer(() => undefined);
  return mutex.runExclusive(() => mutex.runExclusive(() => 1));
}
