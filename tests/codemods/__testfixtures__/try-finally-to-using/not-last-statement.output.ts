export function main() {
  const a = open('a');
  {
    using stack = new DisposableStack();
    stack.adopt(a, (a) => a.close());
    step('inside');
    a.read();
  }
  step('after');
  const b = open('b');
  {
    using stack = new DisposableStack();
    stack.adopt(b, (b) => b.close());
    step('inside-b');
  }
  trace(`still visible: ${b.name}`);
  return a.name;
}
