export async function main() {
  const a = await openAsync('a');
  try {
    step('after-a');
    const b = open('b');
    try {
      step('after-b');
      b.read();
    } finally {
      b.close();
    }
  } finally {
    await a.closeAsync();
  }
  return 'done';
}
