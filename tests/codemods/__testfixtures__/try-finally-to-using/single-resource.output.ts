export function main() {
  {
    using stack = new DisposableStack();
    const file = stack.adopt(open('file'), (file) => file.close());
    step('read');
    file.read();
  }
  return 'done';
}
