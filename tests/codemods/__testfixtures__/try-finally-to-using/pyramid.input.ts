export function main(): string {
  const a = open('a');
  try {
    step('after-a');
    const b = open('b');
    try {
      step('after-b');
      const c = open('c');
      try {
        c.read();
        return 'all three';
      } finally {
        c.close();
      }
    } finally {
      b.close();
    }
  } finally {
    a.close();
  }
}
