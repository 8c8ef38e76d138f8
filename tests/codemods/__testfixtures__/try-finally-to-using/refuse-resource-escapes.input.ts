export function main() {
  const a = open('a');
  try {
    step('body');
    return a;
  } finally {
    a.close();
  }
}
