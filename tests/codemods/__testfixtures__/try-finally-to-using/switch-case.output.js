export function main() {
  const kind = 'file';
  switch (kind) {
    case 'file':
      const f = open('f');
      {
        using stack = new DisposableStack();
        stack.adopt(f, (f) => f.close());
        step('in case');
      }
      break;
    default:
      trace('other');
  }
}
