// One side effect in `finally` releases nothing acquired before the try: a stack with one
// `defer` reads worse than the try/finally, so the default policy leaves these alone.
let isTornDown = false;

export function tearDown(server: { close(): void }) {
  try {
    server.close();
  } finally {
    isTornDown = true;
  }
}

export function withTitle(title: string, work: () => void) {
  const previous = process.title;
  process.title = title;
  try {
    work();
  } finally {
    process.title = previous;
  }
}

export class Reader {
  reading = false;

  read(source: { next(): string }) {
    this.reading = true;
    try {
      return source.next();
    } finally {
      this.reading = false;
    }
  }
}

export function isDown() {
  return isTornDown;
}
