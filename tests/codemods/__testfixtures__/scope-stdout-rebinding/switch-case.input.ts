export function run(mode: 'quiet' | 'loud', task: () => void): void {
  switch (mode) {
    case 'quiet':
      const original = console.info;
      console.info = () => {};
      task();
      console.info = original;
      break;
    default:
      task();
  }
}
