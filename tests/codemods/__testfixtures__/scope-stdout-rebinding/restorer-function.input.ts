function muteConsole(): () => void {
  const original = console.error;
  console.error = () => {};
  return () => {
    console.error = original;
  };
}

export function runQuietly(task: () => void): void {
  const restore = muteConsole();
  task();
  restore();
}

export function main(fail: boolean): unknown {
  runQuietly(() => {
    console.error('hidden');
    if (fail) throw new Error('task failed');
  });
  return 'ran';
}
