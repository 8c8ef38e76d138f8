// The function already uses the name `stack`: the new stack is `stack2`, so nothing is shadowed.
export function main() {
  const stack: string[] = ['base'];
  {
    using stack2 = new DisposableStack();
    const a = open('a');
    stack2.defer(() => a.close());
    stack.push('a');
    step('work');
  }
  return stack.join(',');
}
