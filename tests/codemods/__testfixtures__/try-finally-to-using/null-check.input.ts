export function main() {
  const a = open('a');
  const b = open('b');
  try {
    step('body');
  } finally {
    if (b != null) b.close();
    a?.close();
  }
}
