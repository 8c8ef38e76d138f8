export function flicker(): void {
  const original = console.log;
  console.log = () => {};
  console.log = original;
}
