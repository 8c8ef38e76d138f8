// `while (list.length) list.pop()()`: the try is not the function's last statement, so the
// stack gets a block of its own and is disposed where the finally ran.
export function main() {
  {
    using stack = new DisposableStack();
    const a = open('a');
    stack.defer(() => a.close());
    const b = open('b');
    stack.defer(() => {
      trace('closing b');
      b.close();
    });
    step('work');
  }
  step('after');
  return 'done';
}
