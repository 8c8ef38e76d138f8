// Run in registration order (`forEach`), but only one cleanup is ever registered: the order
// cannot matter, so it converts.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    step('work');
  } finally {
    cleanups.forEach((cleanup) => cleanup());
  }
  return 'done';
}
