// A catch clause, and the try is the last statement: the stack is declared before the try and
// disposed at the end of the function, after the catch ran, as the finally was.
export function main() {
  using stack = new DisposableStack();
  try {
    const a = open('a');
    stack.defer(() => a.close());
    step('work');
  } catch (error) {
    trace(`caught ${String(error)}`);
  }
}
