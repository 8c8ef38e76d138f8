// A plain disposable bound twice is not a stack: no stack to split it into.
export function main() {
  using file = open('a');
  {
    using again = file;
    again.read();
  }
  return 'done';
}
