export function main() {
  const a = open('a');
  const b = open('b');
  try {
    step('body');
  } finally {
    // released in acquisition order on purpose: the rewrite keeps this order
    a.close();
    b.close();
  }
}
