// A registration from a callback that may run after the inner scope: its scope is ambiguous.
export async function main() {
  using stack = new DisposableStack();
  {
    using inner = stack;
    inner.use(open('a'));
    await Promise.resolve().then(() => stack.defer(() => trace('late')));
  }
  return 'done';
}
