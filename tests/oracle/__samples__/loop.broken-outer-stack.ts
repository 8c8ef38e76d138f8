// Broken on purpose: every iteration's cleanup goes on the outer scope's stack (the ExitStack
// lesson), so the items are closed at the end, in reverse order, instead of per iteration.
export function main(): string {
  {
    using stack = new DisposableStack();
    const log = stack.adopt(open('log'), (log) => log.close());
    for (let i = 0; i < 3; i++) {
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
