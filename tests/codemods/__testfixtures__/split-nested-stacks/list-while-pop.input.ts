// `while (list.length) list.pop()()`: the try is not the function's last statement, so the
// stack gets a block of its own and is disposed where the finally ran.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    const b = open('b');
    cleanups.push(() => {
      trace('closing b');
      b.close();
    });
    step('work');
  } finally {
    while (cleanups.length) cleanups.pop()!();
  }
  step('after');
  return 'done';
}
