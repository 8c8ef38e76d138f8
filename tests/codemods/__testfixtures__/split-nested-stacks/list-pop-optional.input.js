// `list.pop()?.()` under `while (list.length > 0)`, in plain JavaScript.
export function main() {
  const disposers = [];
  try {
    for (const name of ['a', 'b', 'c']) {
      const resource = open(name);
      disposers.push(() => resource.close());
    }
    step('work');
  } finally {
    while (disposers.length > 0) {
      disposers.pop()?.();
    }
  }
  return 'done';
}
