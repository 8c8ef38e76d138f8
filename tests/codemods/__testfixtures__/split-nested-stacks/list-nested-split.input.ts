// One list shared by nested try/finally blocks: the inner run empties the whole list, so it
// closes `outer-a` too, and the outer scope goes on with a closed resource. Split per scope,
// the inner stack closes only `b`; `outer-a` lives to the outer scope's end (the fix).
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('outer-a');
    cleanups.push(() => a.close());
    try {
      const b = open('b');
      cleanups.push(() => b.close());
      step('inner');
    } finally {
      while (cleanups.length) cleanups.pop()!();
    }
    step('after');
    a.read();
  } finally {
    while (cleanups.length) cleanups.pop()!();
  }
  return 'done';
}
