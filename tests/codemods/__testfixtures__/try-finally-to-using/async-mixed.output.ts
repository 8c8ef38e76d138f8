export async function main() {
  const a = open('a');
  const b = open('b');
  await using stack = new AsyncDisposableStack();
  stack.defer(() => {
    trace('after b');
  });
  stack.adopt(b, async (b) => { await b.closeAsync(); });
  stack.adopt(a, (a) => { a.closeAsync(); });
  step('body');
}
