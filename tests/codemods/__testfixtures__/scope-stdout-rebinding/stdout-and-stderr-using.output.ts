export function quiet(task: () => void): void {
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  using stack = new DisposableStack();
  stack.defer(() => {
    process.stderr.write = stderrWrite;
    process.stdout.write = stdoutWrite;
  });
  task();
  // put both streams back
}

export function main(fail: boolean): unknown {
  quiet(() => {
    process.stdout.write('hidden\n');
    if (fail) throw new Error('task failed');
  });
  return 'quiet';
}
