// Disposed two calls down: which function should get its own stack is not clear.
function inner(s: DisposableStack) {
  using owned = s;
  owned.use(open('b'));
}
function middle(s: DisposableStack) {
  inner(s);
}

export function main() {
  const stack = new DisposableStack();
  middle(stack);
  stack.use(open('a'));
  return 'done';
}
