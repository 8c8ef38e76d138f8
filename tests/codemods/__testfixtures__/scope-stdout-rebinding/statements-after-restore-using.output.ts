export function report(callback: () => number): string {
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => chunks.push(chunk) > 0) as typeof write;
  {
    using stack = new DisposableStack();
    stack.defer(() => {
      process.stdout.write = write;
    });
    callback();
  }
  process.stdout.write(`captured ${chunks.length}\n`);
  return chunks.join('');
}

export function main(fail: boolean): unknown {
  return report(() => {
    process.stdout.write('one\n');
    if (fail) throw new Error('callback failed');
    return 1;
  });
}
