// Nothing disposes the field's stack but the loop's `using`: after a split its other
// registrations would never run.
class Pool {
  stack = new DisposableStack();

  fill(names: string[]) {
    this.stack.use(open('pool'));
    for (const name of names) {
      using pass = this.stack;
      pass.use(open(name));
    }
  }
}

export function main() {
  new Pool().fill(['a']);
  return 'done';
}
