// Two nested acquisitions, each released in its own finally.
export function main(): string {
  const a = open('a');
  try {
    step('between');
    const b = open('b');
    try {
      a.read();
      b.read();
      step('body');
      return 'done';
    } finally {
      b.close();
    }
  } finally {
    a.close();
  }
}
