// Comments in the removed run move above the new declaration; the lines of a multi-line
// template literal in the unwrapped body keep their text (they are never re-indented).
export function main() {
  // last registered, first run
  /* each one */
  using stack = new DisposableStack();
  const a = open('a');
  stack.defer(() => a.close()); // closes a
  trace(`first line
    second line, indented inside the template
  third`);
  /* a block
       comment */
  step('work');
}
