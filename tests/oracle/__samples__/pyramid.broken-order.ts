// Broken on purpose: the cleanups run in acquisition order instead of reverse order.
export function main(): string {
  const a = open('a');
  const b = open('b');
  try {
    step('between');
    a.read();
    b.read();
    step('body');
    return 'done';
  } finally {
    a.close();
    b.close();
  }
}
