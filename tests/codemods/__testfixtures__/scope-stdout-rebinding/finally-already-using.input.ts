export function captureLog(callback: () => void): string[] {
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => {
    lines.push(line);
  };
  try {
    callback();
  } finally {
    console.log = original;
  }
  return lines;
}

export function main(fail: boolean): unknown {
  return captureLog(() => {
    console.log('inside');
    if (fail) throw new Error('callback failed');
  });
}
