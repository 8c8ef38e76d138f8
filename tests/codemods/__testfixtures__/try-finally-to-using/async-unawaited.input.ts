export function main() {
  const a = open('a');
  try {
    step('body');
  } finally {
    // fire and forget: the original does not wait, neither does the rewrite
    a.closeAsync();
  }
}
