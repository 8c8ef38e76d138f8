// Copying one file into another with hand-written cleanup.
// ctx/prefer-using: two nested try/finally blocks that only close what was opened before them.
// `npx ctx-codemod try-finally-to-using` rewrites them into `using` declarations.

interface Handle {
  read(): string;
  write(text: string): void;
  close(): void;
}

declare function openFile(path: string, mode: 'r' | 'w'): Handle;

export function copyFile(from: string, to: string): void {
  const source = openFile(from, 'r');
  try {
    const target = openFile(to, 'w');
    try {
      target.write(source.read());
    } finally {
      target.close();
    }
  } finally {
    source.close();
  }
}
