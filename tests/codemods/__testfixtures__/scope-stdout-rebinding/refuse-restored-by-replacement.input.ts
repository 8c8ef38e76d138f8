export function skipNextLine(): void {
  const original = console.log;
  console.log = () => {
    console.log = original;
  };
}
