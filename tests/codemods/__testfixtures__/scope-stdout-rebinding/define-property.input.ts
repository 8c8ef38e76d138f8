export function withFakeWrite(task: () => void): string[] {
  const written: string[] = [];
  const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'write') as PropertyDescriptor;
  Object.defineProperty(process.stdout, 'write', {
    configurable: true,
    writable: true,
    value: (chunk: string) => written.push(chunk) > 0,
  });
  task();
  Object.defineProperty(process.stdout, 'write', descriptor);
  return written;
}

export function main(fail: boolean): unknown {
  return withFakeWrite(() => {
    process.stdout.write('captured\n');
    if (fail) throw new Error('task failed');
  });
}
