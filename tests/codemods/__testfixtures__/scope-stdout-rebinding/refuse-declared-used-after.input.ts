export function measure(task: () => { value: number }): number {
  const original = console.log;
  console.log = () => {};
  const { value } = task();
  console.log = original;
  return value;
}
