export function build(steps: Array<() => void>, verbose: boolean): number {
  let count = 0;
  const log = console.log;
  console.log = () => {};
  for (const step of steps) {
    if (!verbose) {
      const warn = console.warn;
      console.warn = () => {};
      step();
      console.warn = warn;
    } else {
      step();
    }
    count++;
  }
  console.log = log;
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
