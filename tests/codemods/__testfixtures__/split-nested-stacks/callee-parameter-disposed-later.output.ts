// The caller disposes the stack itself afterwards: the callee's `using` disposed it early.
const fill = (stack: DisposableStack) => {
  using owned = new DisposableStack();
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
