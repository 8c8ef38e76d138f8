// Already one stack per scope, and a stack handed over for good: nothing to split.
function take(stack: DisposableStack) {
  using owned = stack;
  owned.use(open('taken'));
}

export function main() {
  using stack = new DisposableStack();
  stack.use(open('a'));
  for (const name of ['b', 'c']) {
    using pass = new DisposableStack();
    pass.use(open(name));
  }
  const handed = new DisposableStack();
  handed.use(open('d'));
  take(handed);
  return 'done';
}
