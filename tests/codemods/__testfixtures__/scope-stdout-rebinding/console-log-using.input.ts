export function silence(callback: () => void): void {
  const original = console.log;
  console.log = () => {};
  /* the callback prints nothing the user should see */
  callback();
  console.log = original;
}

export function main(fail: boolean): unknown {
  silence(() => {
    console.log('hidden');
    if (fail) throw new Error('callback failed');
  });
  console.log('visible');
  return 'done';
}
