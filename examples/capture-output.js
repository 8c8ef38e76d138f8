// A test helper that captures what a CLI command prints.
// ctx/no-global-stdout-rebinding: process.stdout.write is rebound for the whole process, and put
// back only when run() returns. If run() throws, every later test prints into `chunks`.

export function captureOutput(run) {
  const chunks = [];
  const originalWrite = process.stdout.write;
  process.stdout.write = (chunk) => chunks.push(String(chunk)) > 0;
  run();
  process.stdout.write = originalWrite;
  return chunks.join('');
}
