export async function main() {
  {
    await using stack = new AsyncDisposableStack();
    const a = stack.adopt(await openAsync('a'), async (a) => { await a.closeAsync(); });
    step('after-a');
    const b = stack.adopt(open('b'), (b) => { b.close(); });
    step('after-b');
    b.read();
  }
  return 'done';
}
