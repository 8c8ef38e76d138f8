export function main() {
  const a = open('a');
  const b = open('b');
  using stack = new DisposableStack();
  stack.adopt(a, (a) => a?.close());
  stack.defer(() => {
    if (b != null) b.close();
  });
  step('body');
}
