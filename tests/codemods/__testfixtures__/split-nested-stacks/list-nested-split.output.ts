// One list shared by nested try/finally blocks: the inner run empties the whole list, so it
// closes `outer-a` too, and the outer scope goes on with a closed resource. Split per scope,
// the inner stack closes only `b`; `outer-a` lives to the outer scope's end (the fix).
export function main() {
  {
    using stack = new DisposableStack();
    const a = open('outer-a');
    stack.defer(() => a.close());
    {
      using stack2 = new DisposableStack();
      const b = open('b');
      stack2.defer(() => b.close());
      step('inner');
    }
    step('after');
    a.read();
  }
  return 'done';
}
