export function main() {
  const value = 'outer';
  trace(value);
  const a = open('a');
  try {
    const value = 'inner';
    step(value);
  } finally {
    a.close();
  }
}
