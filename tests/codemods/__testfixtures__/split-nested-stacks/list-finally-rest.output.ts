// The finally does more after the run: the stack goes inside the try (it is disposed when the
// try block ends, before the rest of the finally, as the run was), and the rest stays.
export function main() {
  try {
    using stack = new DisposableStack();
    const a = open('a');
    stack.defer(() => a.close());
    step('work');
  } finally {
    trace('finally done');
  }
  return 'done';
}
