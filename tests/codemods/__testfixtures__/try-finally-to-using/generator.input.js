function* items() {
  const r = open('gen');
  try {
    yield 1;
    step('between yields');
    yield 2;
  } finally {
    r.close();
  }
}

export function main() {
  const seen = [];
  for (const item of items()) {
    seen.push(item);
    if (item === 1) break;
  }
  return seen.join(',');
}
