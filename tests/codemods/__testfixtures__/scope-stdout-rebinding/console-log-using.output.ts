export function silence(callback: () => void): void {
  const original = console.log;
  console.log = () => {};
  using stack = new DisposableStack();
  stack.defer(() => {
    console.log = original;
  });
  /* the callback prints nothing the user should see */
  callback();
}

export function main(fail: boolean): unknown {
  silence(() => {
    console.log('hidden');
    if (fail) throw new Error('callback failed');
  });
  console.log('visible');
  return 'done';
}
