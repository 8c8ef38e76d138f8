// A callback run for each element re-binds the stack its caller holds.
export function main() {
  using stack = new DisposableStack();
  stack.defer(() => trace('outer-deferred'));
  const sizes = ['a', 'b'].map((name) => {
    using scope = stack;
    scope.use(open(name)).read();
    return name.length;
  });
  stack.use(open('outer-c'));
  return sizes.join(',');
}
