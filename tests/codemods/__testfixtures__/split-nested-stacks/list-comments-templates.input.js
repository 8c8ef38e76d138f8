// Comments in the removed run move above the new declaration; the lines of a multi-line
// template literal in the unwrapped body keep their text (they are never re-indented).
export function main() {
  const cleanups = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close()); // closes a
    trace(`first line
    second line, indented inside the template
  third`);
    /* a block
       comment */
    step('work');
  } finally {
    // last registered, first run
    for (const cleanup of cleanups.reverse()) {
      cleanup(); /* each one */
    }
  }
}
