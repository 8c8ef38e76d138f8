export function render(lines: string[]): number {
  const original = process.stdout.write;
  process.stdout.write = () => true;
  if (lines.length === 0) return 0;
  for (const line of lines) process.stdout.write(line);
  process.stdout.write = original;
  return lines.length;
}
