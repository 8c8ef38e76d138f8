// Run in registration order (`forEach`): the first cleanup registered runs first. A stack runs
// the last first, so converting would reverse the order.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    const b = open('b');
    cleanups.push(() => b.close());
    step('work');
  } finally {
    cleanups.forEach((cleanup) => cleanup());
  }
  return 'done';
}
