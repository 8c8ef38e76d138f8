export function quiet(task: () => void): void {
  const original = console.log;
  console.log = () => {}; task(); console.log = original;
}
