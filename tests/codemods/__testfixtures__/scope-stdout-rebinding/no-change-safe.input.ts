export function print(lines: string[]): void {
  for (const line of lines) console.log(line);
  process.stdout.write('done\n');
}

export function withStub(task: () => void): void {
  const original = console.log;
  console.log = () => {};
  try {
    task();
  } finally {
    console.log = original;
  }
}
