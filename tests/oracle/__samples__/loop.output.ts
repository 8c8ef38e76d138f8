// A loop body with its own try/finally, and break / continue inside the try.
export function main(): string {
  {
    using stack = new DisposableStack();
    const log = stack.adopt(open('log'), (log) => log.close());
    for (let i = 0; i < 3; i++) {
      using stack = new DisposableStack();
      const item = stack.adopt(open(`item${i}`), (item) => item.close());
      if (i === 0) continue;
      item.read();
      step(`work${i}`);
      if (i === 1) break;
    }
    log.read();
  }
  return 'done';
}
