// The shared stack is given to other code while the inner scope holds it.
function register(target: DisposableStack, name: string) {
  target.use(open(name));
}

export function main() {
  using stack = new DisposableStack();
  {
    using inner = stack;
    register(stack, 'a');
    inner.use(open('b'));
  }
  return 'done';
}
