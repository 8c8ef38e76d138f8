export function main() {
  const a = open('a');
  try {
    const b = open('b');
    try {
      step('body');
      a.read();
      b.read();
    } finally {
      b[Symbol.dispose]();
    }
  } finally {
    a[Symbol.dispose]();
  }
}
