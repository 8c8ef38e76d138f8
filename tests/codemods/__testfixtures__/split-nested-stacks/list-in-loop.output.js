// The list is declared once, but each pass of the loop registers and empties it: one stack per
// pass, declared in the loop body.
export function main() {
  for (const name of ['a', 'b']) {
    using stack = new DisposableStack();
    const resource = open(name);
    stack.defer(() => resource.close());
    step(name);
  }
  return 'done';
}
