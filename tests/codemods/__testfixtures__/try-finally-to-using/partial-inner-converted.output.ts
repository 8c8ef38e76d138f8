export function main() {
  const a = open('a');
  try {
    using stack = new DisposableStack();
    const b = stack.adopt(open('b'), (b) => b.close());
    step('inner');
  } finally {
    a.close();
    if (a.name === 'a') {
      // eslint-disable-next-line no-unsafe-finally
      throw new Error('rethrown from finally');
    }
  }
}
