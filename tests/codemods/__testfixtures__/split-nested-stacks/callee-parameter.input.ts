// The callee binds its caller's stack with `using`: it disposes the caller's registrations.
function fill(stack: DisposableStack, name: string) {
  using owned = stack;
  stack.use(open(name));
  owned.use(open(`${name}-2`));
  step(name);
}

export function main() {
  using stack = new DisposableStack();
  stack.use(open('outer-a'));
  fill(stack, 'b');
  stack.use(open('outer-c'));
  return 'done';
}
