export function maybeQuiet(quiet: boolean, task: () => void): void {
  const original = console.log;
  if (quiet) console.log = () => {};
  task();
  console.log = original;
}
