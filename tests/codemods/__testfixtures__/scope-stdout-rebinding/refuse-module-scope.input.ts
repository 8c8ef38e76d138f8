const original = console.debug;
console.debug = () => {};
export function done(): void {
  console.debug = original;
}
