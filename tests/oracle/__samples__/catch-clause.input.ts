// A catch clause must run before the cleanup.
// (The catch traces the error name, not its message: the SuppressedError message differs
// between native Node 24 and TypeScript's downlevel helper, by a trailing period.)
export function main(): string {
  const a = open('a');
  try {
    a.read();
    step('body');
  } catch (error) {
    trace(`caught ${(error as Error).name}`);
  } finally {
    a.close();
  }
  return 'done';
}
