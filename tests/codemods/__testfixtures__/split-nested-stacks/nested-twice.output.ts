// Two levels of re-binding: each scope gets its own stack and keeps its own registrations;
// `outer-b` is an outer registration for the innermost scope.
export function main() {
  using stack = new DisposableStack();
  stack.use(open('outer-a'));
  {
    using middle = new DisposableStack();
    middle.use(open('outer-b'));
    {
      using inner = new DisposableStack();
      inner.use(open('c'));
      inner.use(open('d'));
    }
    middle.use(open('e'));
  }
  stack.use(open('outer-f'));
  return 'done';
}
