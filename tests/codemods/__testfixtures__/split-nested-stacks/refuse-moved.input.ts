// `move()` in the inner scope hands the registrations to someone else.
export function main() {
  using stack = new DisposableStack();
  {
    using inner = stack;
    inner.use(open('a'));
    const moved = stack.move();
    moved.dispose();
  }
  return 'done';
}
