export function main() {
  using a = open('a');
  using b = open('b');
  step('body');
  a.read();
  b.read();
}
