// The list is declared together with other variables: only its declarator goes.
export function main() {
  const cleanups: Array<() => void> = [], seen: string[] = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    seen.push('a');
    step('work');
  } finally {
    while (cleanups.length) cleanups.pop()!();
  }
  return seen.join(',');
}
