export function quiet(task: () => void): void {
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  try {
    task();
    // put both streams back
  } finally {
    process.stderr.write = stderrWrite;
    process.stdout.write = stdoutWrite;
  }
}

export function main(fail: boolean): unknown {
  quiet(() => {
    process.stdout.write('hidden\n');
    if (fail) throw new Error('task failed');
  });
  return 'quiet';
}
