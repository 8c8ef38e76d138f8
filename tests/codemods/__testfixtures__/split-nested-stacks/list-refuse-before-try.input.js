// A cleanup registered before the try: if the statements between throw, the finally never runs
// it, where a stack declared there would. The codemod cannot place it.
export function main() {
  const cleanups = [];
  const a = open('a');
  cleanups.push(() => a.close());
  step('between');
  try {
    const b = open('b');
    cleanups.push(() => b.close());
    step('work');
  } finally {
    while (cleanups.length) cleanups.pop()();
  }
  return 'done';
}
