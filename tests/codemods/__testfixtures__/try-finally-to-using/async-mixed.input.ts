export async function main() {
  const a = open('a');
  const b = open('b');
  try {
    step('body');
  } finally {
    a.closeAsync();
    await b.closeAsync();
    trace('after b');
  }
}
