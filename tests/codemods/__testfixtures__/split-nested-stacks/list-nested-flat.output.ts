// Nested scopes that both end where their block ends: both bodies are unwrapped, one level each,
// and the two stacks end together in the reverse of their declarations, as the two runs did.
export function main() {
  using stack = new DisposableStack();
  const a = open('a');
  stack.defer(() => a.close());
  using stack2 = new DisposableStack();
  const b = open('b');
  stack2.defer(() => b.close());
  trace(`inner
  template line`);
  step('inner');
}
