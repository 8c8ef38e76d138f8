export function main() {
  using stack = new DisposableStack();
  const log = stack.adopt(open('log'), (log) => log.close());
  for (const name of ['x', 'y', 'z']) {
    using stack1 = new DisposableStack();
    const item = stack1.adopt(open(name), (item) => item.close());
    if (name === 'y') continue;
    step(name);
    item.read();
  }
  log.read();
}
