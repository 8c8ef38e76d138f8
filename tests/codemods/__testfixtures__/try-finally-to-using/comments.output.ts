export function main() {
  using stack = new DisposableStack();
  // Always give the handle back.
  // Open the handle first.
  const handle = stack.adopt(open('handle'), (handle) => handle.close()); // trailing note on the acquisition
  /* Then work with it. */
  // a comment inside the body stays in the body
  step('work');
}
