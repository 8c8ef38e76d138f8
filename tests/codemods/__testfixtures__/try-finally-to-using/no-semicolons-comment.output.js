// A file without semicolons whose try body begins with a comment: a line comment continues no
// expression, so the registration above it needs no `;` (undici's docs/examples).
export function main() {
  const a = open('a')
  const previous = 'idle'
  using stack = new DisposableStack()
  stack.adopt(a, (a) => a.close())
  stack.defer(() => trace(`back to ${previous}`))
  // the work
  a.read()
  step('body')
}
