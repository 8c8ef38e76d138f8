export function main() {
  const a = open('a');
  try {
    step('inside');
    a.read();
  } finally {
    a.close();
  }
  step('after');
  const b = open('b');
  try {
    step('inside-b');
  } finally {
    b.close();
  }
  trace(`still visible: ${b.name}`);
  return a.name;
}
