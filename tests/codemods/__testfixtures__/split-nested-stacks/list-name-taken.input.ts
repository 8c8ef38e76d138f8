// The function already uses the name `stack`: the new stack is `stack2`, so nothing is shadowed.
export function main() {
  const stack: string[] = ['base'];
  let undo: Array<() => void> = [];
  try {
    const a = open('a');
    undo.push(() => a.close());
    stack.push('a');
    step('work');
  } finally {
    for (let i = undo.length - 1; i > -1; i -= 1) undo[i]!();
    undo.length = 0;
  }
  return stack.join(',');
}
