// Not executable (the oracle's child process talks over stdout): linted and type-checked only.
export function quietly(work: () => void): void {
  const log = open('log');
  const saved = process.stdout.write;
  process.stdout.write = () => true;
  try {
    work();
    log.read();
  } finally {
    process.stdout.write = saved;
    log.close();
  }
}
