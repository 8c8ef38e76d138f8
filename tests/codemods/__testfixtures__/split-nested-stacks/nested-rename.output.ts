// Registrations the inner scope makes through the outer name move to the inner stack.
export function main() {
  using stack = new DisposableStack();
  stack.defer(() => trace('outer-deferred'));
  if (Math.min(1, 2) === 1) {
    using scope = new DisposableStack();
    scope.use(open('a'));
    scope.defer(() => trace("inner 'deferred'"));
    scope.use(open('b'));
    step('inner');
  }
  step('after');
  return `done`;
}
