export function main() {
  let current = open('first');
  try {
    step('body');
    current = open('second');
  } finally {
    current.close();
  }
}
