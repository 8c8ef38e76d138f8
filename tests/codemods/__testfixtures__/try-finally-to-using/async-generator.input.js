async function* lines() {
  const file = open('file');
  try {
    yield 'first';
    yield `second
  line`;
  } finally {
    await file.closeAsync();
  }
}

export async function main() {
  const out = [];
  for await (const line of lines()) out.push(line);
  return out.join('|');
}
