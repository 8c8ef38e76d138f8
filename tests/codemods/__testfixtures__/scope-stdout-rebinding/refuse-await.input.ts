export async function captureLog(callback: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (line: string) => {
    lines.push(line);
  };
  await callback();
  console.log = original;
  return lines;
}
