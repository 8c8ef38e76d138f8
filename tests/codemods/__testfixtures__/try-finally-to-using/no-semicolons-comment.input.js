// A file without semicolons whose try body begins with a comment: a line comment continues no
// expression, so the registration above it needs no `;` (undici's docs/examples).
export function main() {
  const a = open('a')
  const previous = 'idle'
  try {
    // the work
    a.read()
    step('body')
  } finally {
    trace(`back to ${previous}`)
    a.close()
  }
}
