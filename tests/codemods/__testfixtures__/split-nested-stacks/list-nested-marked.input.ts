// The correct way to share one list between nested scopes: the inner run stops at the length
// it had when the inner scope began. One stack per scope does the same, and the mark goes.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    const mark = cleanups.length;
    try {
      const b = open('b');
      cleanups.push(() => b.close());
      const c = open('c');
      cleanups.push(() => c.close());
      step('inner');
    } finally {
      while (cleanups.length > mark) cleanups.pop()!();
    }
    step('after');
  } finally {
    while (cleanups.length) cleanups.pop()!();
  }
  return 'done';
}
