// `list.pop()?.()` under `while (list.length > 0)`, in plain JavaScript.
export function main() {
  {
    using stack = new DisposableStack();
    for (const name of ['a', 'b', 'c']) {
      const resource = open(name);
      stack.defer(() => resource.close());
    }
    step('work');
  }
  return 'done';
}
