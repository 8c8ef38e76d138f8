export function main() {
  // Open the handle first.
  const handle = open('handle'); // trailing note on the acquisition
  /* Then work with it. */
  try {
    // a comment inside the body stays in the body
    step('work');
  } finally {
    // Always give the handle back.
    handle.close();
  }
}
