export function main() {
  const results = [];
  outer: for (const name of ['a', 'b', 'c']) {
    using stack = new DisposableStack();
    const r = stack.adopt(open(name), (r) => r.close());
    if (name === 'b') break outer;
    results.push(name);
  }
  return results.join(',');
}
