// An account whose balance is guarded by an async-mutex Mutex.
// ctx/no-nested-reuse: a Mutex is not reentrant. deposit() holds it while it awaits audit(),
// which asks for the same mutex again: the second runExclusive waits for the first, forever.
import { Mutex } from 'async-mutex';

export class Account {
  mutex = new Mutex();
  balance = 0;

  async deposit(amount) {
    await this.mutex.runExclusive(async () => {
      this.balance += amount;
      await this.audit();
    });
  }

  async audit() {
    await this.mutex.runExclusive(async () => {
      console.log(`balance: ${this.balance}`);
    });
  }
}
