// A reverse index loop calls each cleanup as `list[i]()`: pushed arrow functions do not see the
// list as `this`, so the order is the only thing that matters, and it is last-in-first-out.
export function main() {
  using stack = new DisposableStack();
  const a = open('a');
  stack.defer(() => a.close());
  step('middle');
  const b = open('b');
  stack.defer(() => b.close());
  step('work');
}
