// Captures what a callback prints; an exception in the callback used to leave console.log captured.
export function captureLog(callback: () => void): string[] {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(' '));
  };
  try {
    callback(); // may throw
    const banner = `captured
    ${lines.length} lines`;
    lines.push(banner);
  } finally {
    console.log = original;
  }
  return lines;
}

export function main(fail: boolean): unknown {
  return captureLog(() => {
    console.log('inside', 1);
    if (fail) throw new Error('callback failed');
  });
}
