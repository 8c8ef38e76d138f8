let busy = false;

export function main() {
  busy = true;
  const a = open('a');
  {
    using stack = new DisposableStack();
    stack.defer(() => {
      busy = false;
    });
    stack.adopt(a, (a) => a.close());
    stack.defer(() => trace('finishing'));
    step('work');
  }
  return busy;
}
