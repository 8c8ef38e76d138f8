export function run(mode: 'quiet' | 'loud', task: () => void): void {
  switch (mode) {
    case 'quiet':
      const original = console.info;
      console.info = () => {};
      {
        using stack = new DisposableStack();
        stack.defer(() => {
          console.info = original;
        });
        task();
      }
      break;
    default:
      task();
  }
}
