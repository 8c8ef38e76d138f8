export function main() {
  const a = open('a');
  try {
    const b = open('b');
    try {
      step('inner');
    } finally {
      b.close();
    }
  } catch (error) {
    trace('caught');
    throw error;
  } finally {
    a.close();
  }
}
