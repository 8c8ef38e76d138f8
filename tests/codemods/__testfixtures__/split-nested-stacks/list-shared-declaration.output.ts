// The list is declared together with other variables: only its declarator goes.
export function main() {
  const seen: string[] = [];
  {
    using stack = new DisposableStack();
    const a = open('a');
    stack.defer(() => a.close());
    seen.push('a');
    step('work');
  }
  return seen.join(',');
}
