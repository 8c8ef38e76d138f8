async function report(): Promise<string> {
  await null;
  trace('reported');
  return 'report';
}

export async function main() {
  const a = open('a');
  await using stack = new AsyncDisposableStack();
  stack.defer(async () => {
    await report();
  });
  stack.adopt(a, (a) => { a.close(); });
  step('body');
}
