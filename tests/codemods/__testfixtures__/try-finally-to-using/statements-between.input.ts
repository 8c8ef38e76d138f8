export function main() {
  const a = open('a');
  step('between');
  trace('not yet protected');
  try {
    a.read();
  } finally {
    a.close();
  }
}
