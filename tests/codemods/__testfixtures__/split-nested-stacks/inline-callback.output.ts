// Registrations in a callback the inner scope runs at once (`forEach`) move with it.
export function main() {
  using stack = new DisposableStack();
  stack.use(open('outer-a'));
  {
    using inner = new DisposableStack();
    ['b', 'c'].forEach((name) => {
      inner.use(open(name));
    });
    inner.use(open('d'));
  }
  stack.use(open('outer-e'));
  return 'done';
}
