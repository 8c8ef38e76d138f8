export function withFakeWrite(task: () => void): string[] {
  const written: string[] = [];
  const descriptor = Object.getOwnPropertyDescriptor(process.stdout, 'write');
  Object.defineProperty(process.stdout, 'write', {
    configurable: true,
    writable: true,
    value: (chunk: string) => written.push(chunk) > 0,
  });
  task();
  if (descriptor) Object.defineProperty(process.stdout, 'write', descriptor);
  return written;
}
