// Broken on purpose: cleanup errors are swallowed instead of thrown.
export function main(): string {
  const a = open('a');
  const b = open('b');
  try {
    step('body');
  } finally {
    try { b.close(); } catch { /* swallowed */ }
    try { a.close(); } catch { /* swallowed */ }
  }
  return 'done';
}
