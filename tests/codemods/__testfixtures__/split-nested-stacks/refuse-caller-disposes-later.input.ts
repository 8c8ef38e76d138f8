// The caller disposes the stack itself, but not with `using`: a throw before its `dispose()`
// would leave its registrations undisposed once the callee stopped disposing them.
const fill = (stack: DisposableStack) => {
  using owned = stack;
  owned.use(open('b'));
};

export function main() {
  const stack = new DisposableStack();
  stack.use(open('outer-a'));
  fill(stack);
  stack.use(open('outer-c'));
  step('work');
  stack.dispose();
  return 'done';
}
