export function twoPhases(first: () => void, second: () => void): void {
  const original = console.log;
  console.log = () => {};
  first();
  console.log = (line: string) => original(`[second] ${line}`);
  second();
  console.log = original;
}
