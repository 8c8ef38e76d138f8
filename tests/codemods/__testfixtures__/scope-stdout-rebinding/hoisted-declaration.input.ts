export function measure(task: () => number): number {
  const original = console.log;
  console.log = () => {};
  const result: number = task(), doubled = result * 2;
  let label = 'result';
  console.log = original;
  console.log(label, result, doubled);
  return result;
}

export function main(fail: boolean): unknown {
  return measure(() => {
    if (fail) throw new Error('task failed');
    return 21;
  });
}
