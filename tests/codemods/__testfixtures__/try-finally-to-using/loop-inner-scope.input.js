export function main() {
  const log = open('log');
  try {
    for (const name of ['x', 'y', 'z']) {
      const item = open(name);
      try {
        if (name === 'y') continue;
        step(name);
        item.read();
      } finally {
        item.close();
      }
    }
    log.read();
  } finally {
    log.close();
  }
}
