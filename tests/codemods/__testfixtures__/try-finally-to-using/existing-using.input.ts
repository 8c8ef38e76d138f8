export function main() {
  const a = open('a');
  try {
    using u = open('u');
    const b = open('b');
    try {
      step('body');
    } finally {
      b.close();
    }
  } finally {
    a.close();
  }
}
