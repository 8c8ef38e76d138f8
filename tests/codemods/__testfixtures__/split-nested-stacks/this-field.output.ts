// A stack held in a field, re-bound in a method's inner scope while the method holds it.
class Session {
  stack = new DisposableStack();

  run(names: string[]) {
    using held = this.stack;
    this.stack.use(open('outer-a'));
    for (const name of names) {
      using pass = new DisposableStack();
      pass.use(open(name));
      pass.defer(() => trace(`pass ${name}`));
    }
    held.use(open('outer-z'));
  }
}

export function main() {
  new Session().run(['b', 'c']);
  return 'done';
}
