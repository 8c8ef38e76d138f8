export function main() {
  function describe() {
    return `resource ${a.name}`;
  }
  const a = open('a');
  {
    using stack = new DisposableStack();
    stack.adopt(a, (a) => a.close());
    step('body');
  }
  return describe();
}
