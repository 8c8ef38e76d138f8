export function main() {
  const a = open('a');
  try {
    step('body');
  } finally {
    a.close();
    // eslint-disable-next-line no-unsafe-finally
    return 'swallowed';
  }
}
