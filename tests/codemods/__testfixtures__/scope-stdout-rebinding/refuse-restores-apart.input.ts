export function quiet(task: () => void, after: () => void): void {
  const log = console.log;
  const error = console.error;
  console.log = () => {};
  console.error = () => {};
  task();
  console.log = log;
  after();
  console.error = error;
}
