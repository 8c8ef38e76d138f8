export function measure(task: () => number): number {
  const original = console.log;
  console.log = () => {};
  const result = task();
  console.log = original;
  console.log('result', result);
  return result;
}
