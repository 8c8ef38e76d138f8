// An array of values read in a finally is not a cleanup list: nothing to say about it.
export function main() {
  const seen: string[] = [];
  try {
    seen.push('a');
    step('work');
  } finally {
    trace(`seen ${seen.join(',')}`);
  }
  return seen.length;
}
