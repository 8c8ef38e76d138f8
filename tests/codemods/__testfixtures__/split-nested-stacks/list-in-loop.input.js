// The list is declared once, but each pass of the loop registers and empties it: one stack per
// pass, declared in the loop body.
export function main() {
  const cleanups = [];
  for (const name of ['a', 'b']) {
    try {
      const resource = open(name);
      cleanups.push(() => resource.close());
      step(name);
    } finally {
      while (cleanups.length) cleanups.pop()();
    }
  }
  return 'done';
}
