function* items() {
  using stack = new DisposableStack();
  const r = stack.adopt(open('gen'), (r) => r.close());
  yield 1;
  step('between yields');
  yield 2;
}

export function main() {
  const seen = [];
  for (const item of items()) {
    seen.push(item);
    if (item === 1) break;
  }
  return seen.join(',');
}
