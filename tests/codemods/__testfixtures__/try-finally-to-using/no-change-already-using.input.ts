export function main() {
  using a = open('a');
  step('body');
}
