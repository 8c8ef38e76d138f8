// An exported callee is called from code this file does not show.
export function fill(stack: DisposableStack) {
  using owned = stack;
  owned.use(open('b'));
}

export function run() {
  using stack = new DisposableStack();
  stack.use(open('a'));
  fill(stack);
}
