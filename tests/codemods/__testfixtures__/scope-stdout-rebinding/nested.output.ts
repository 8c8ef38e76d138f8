export function build(steps: Array<() => void>, verbose: boolean): number {
  let count = 0;
  const log = console.log;
  console.log = () => {};
  try {
    for (const step of steps) {
      if (!verbose) {
        const warn = console.warn;
        console.warn = () => {};
        try {
          step();
        } finally {
          console.warn = warn;
        }
      } else {
        step();
      }
      count++;
    }
  } finally {
    console.log = log;
  }
  return count;
}

export function main(fail: boolean): unknown {
  return build(
    [
      () => console.warn('first'),
      () => {
        if (fail) throw new Error('step failed');
      },
    ],
    false,
  );
}
