// The correct way to share one list between nested scopes: the inner run stops at the length
// it had when the inner scope began. One stack per scope does the same, and the mark goes.
export function main() {
  {
    using stack = new DisposableStack();
    const a = open('a');
    stack.defer(() => a.close());
    {
      using stack2 = new DisposableStack();
      const b = open('b');
      stack2.defer(() => b.close());
      const c = open('c');
      stack2.defer(() => c.close());
      step('inner');
    }
    step('after');
  }
  return 'done';
}
