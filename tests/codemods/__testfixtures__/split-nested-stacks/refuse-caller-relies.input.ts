// The caller never disposes its stack: the callee's `using` is what runs its registrations.
function finish(stack: DisposableStack) {
  using owned = stack;
  owned.use(open('b'));
}

export function main() {
  const stack = new DisposableStack();
  stack.use(open('a'));
  finish(stack);
  step('after');
  return stack.disposed ? 'disposed' : 'open';
}
