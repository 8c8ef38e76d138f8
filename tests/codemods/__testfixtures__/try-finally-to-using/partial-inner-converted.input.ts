export function main() {
  const a = open('a');
  try {
    const b = open('b');
    try {
      step('inner');
    } finally {
      b.close();
    }
  } finally {
    a.close();
    if (a.name === 'a') {
      // eslint-disable-next-line no-unsafe-finally
      throw new Error('rethrown from finally');
    }
  }
}
