// The classic pre-`using` idiom: a list of cleanups run in reverse in `finally`. It becomes one
// DisposableStack; the try/finally goes, the body joins the function.
export function main() {
  const cleanups: Array<() => void> = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    const b = open('b');
    cleanups.push(() => b.close());
    step('work');
    a.read();
    b.read();
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
}
