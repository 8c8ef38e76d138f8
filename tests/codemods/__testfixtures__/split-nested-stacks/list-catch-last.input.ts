// A catch clause, and the try is the last statement: the stack is declared before the try and
// disposed at the end of the function, after the catch ran, as the finally was.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    step('work');
  } catch (error) {
    trace(`caught ${String(error)}`);
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
}
