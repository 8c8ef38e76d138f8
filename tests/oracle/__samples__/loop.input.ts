// A loop body with its own try/finally, and break / continue inside the try.
export function main(): string {
  const log = open('log');
  try {
    for (let i = 0; i < 3; i++) {
      const item = open(`item${i}`);
      try {
        if (i === 0) continue;
        item.read();
        step(`work${i}`);
        if (i === 1) break;
      } finally {
        item.close();
      }
    }
    log.read();
  } finally {
    log.close();
  }
  return 'done';
}
