async function* lines() {
  await using stack = new AsyncDisposableStack();
  const file = stack.adopt(open('file'), async (file) => { await file.closeAsync(); });
  yield 'first';
  yield `second
  line`;
}

export async function main() {
  const out = [];
  for await (const line of lines()) out.push(line);
  return out.join('|');
}
