export function main() {
  const a = open('a');
  try {
    const b = open('b');
    try {
      step('inner');
    } finally {
      b.close();
    }
    step('between-inner-and-outer');
  } finally {
    a.close();
  }
}
