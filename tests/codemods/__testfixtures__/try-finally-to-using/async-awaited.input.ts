export async function main() {
  const a = await openAsync('a');
  try {
    step('after-a');
    const b = open('b');
    try {
      step('after-b');
      await b.closeAsync();
    } finally {
      b.close();
    }
  } finally {
    await a.closeAsync();
  }
  return 'done';
}
