// Not executable (the oracle's child process talks over stdout): linted and type-checked only.
export function quietly(work: () => void): void {
  const log = open('log');
  const saved = process.stdout.write;
  process.stdout.write = () => true;
  using stack = new DisposableStack();
  stack.adopt(log, (log) => log.close());
  stack.defer(() => {
    process.stdout.write = saved;
  });
  work();
  log.read();
}
