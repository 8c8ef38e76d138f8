export function measure(task: () => number): number {
  const original = console.log;
  console.log = () => {};
  let result: number, doubled;
  let label;
  {
    using stack = new DisposableStack();
    stack.defer(() => {
      console.log = original;
    });
    result = task(), doubled = result * 2;
    label = 'result';
  }
  console.log(label, result, doubled);
  return result;
}

export function main(fail: boolean): unknown {
  return measure(() => {
    if (fail) throw new Error('task failed');
    return 21;
  });
}
