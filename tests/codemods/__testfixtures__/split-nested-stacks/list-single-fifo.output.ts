// Run in registration order (`forEach`), but only one cleanup is ever registered: the order
// cannot matter, so it converts.
export function main() {
  {
    using stack = new DisposableStack();
    const a = open('a');
    stack.defer(() => a.close());
    step('work');
  }
  return 'done';
}
