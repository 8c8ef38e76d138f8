// Nested scopes that both end where their block ends: both bodies are unwrapped, one level each,
// and the two stacks end together in the reverse of their declarations, as the two runs did.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    const mark = cleanups.length;
    try {
      const b = open('b');
      cleanups.push(() => b.close());
      trace(`inner
  template line`);
      step('inner');
    } finally {
      while (cleanups.length > mark) cleanups.pop()!();
    }
  } finally {
    while (cleanups.length) cleanups.pop()!();
  }
}
