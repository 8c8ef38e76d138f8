export function muteFor(milliseconds: number): void {
  const original = console.log;
  console.log = () => {};
  setTimeout(() => {
    console.log = original;
  }, milliseconds);
}
