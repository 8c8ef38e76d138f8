export function main() {
  using stack = new DisposableStack();
  // fire and forget: the original does not wait, neither does the rewrite
  const a = stack.adopt(open('a'), (a) => a.closeAsync());
  step('body');
}
