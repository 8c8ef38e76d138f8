export function main() {
  const a = open('a');
  try {
    step('body');
  } finally {
    const name = a.name;
    a.close();
    trace(name);
  }
}
