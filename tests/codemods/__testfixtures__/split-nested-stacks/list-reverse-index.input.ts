// A reverse index loop calls each cleanup as `list[i]()`: pushed arrow functions do not see the
// list as `this`, so the order is the only thing that matters, and it is last-in-first-out.
export function main() {
  const undo: Array<() => void> = [];
  try {
    const a = open('a');
    undo.push(() => a.close());
    step('middle');
    const b = open('b');
    undo.push(() => b.close());
    step('work');
  } finally {
    for (let i = undo.length - 1; i >= 0; i--) {
      undo[i]!();
    }
  }
}
