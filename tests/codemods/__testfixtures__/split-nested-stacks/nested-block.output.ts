// The inner block re-binds the function's stack: leaving the block disposes `outer-a` too, and
// the registration after the block throws.
export function main() {
  using stack = new DisposableStack();
  stack.use(open('outer-a'));
  {
    using inner = new DisposableStack();
    inner.use(open('b')).read();
    step('inner');
  }
  stack.use(open('outer-c'));
  step('after');
  return 'done';
}
