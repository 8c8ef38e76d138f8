export function run(mode: 'quiet' | 'loud', task: () => void): void {
  switch (mode) {
    case 'quiet':
      const original = console.info;
      console.info = () => {};
      try {
        task();
      } finally {
        console.info = original;
      }
      break;
    default:
      task();
  }
}
