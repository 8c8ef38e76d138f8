let exited = false;

function forceExit(): void {
  trace('force-exit');
  exited = true;
}

async function waitForExit(): Promise<string> {
  await null;
  trace('exited');
  return 'code 0';
}

export async function main() {
  const worker = open('worker');
  {
    await using stack = new AsyncDisposableStack();
    stack.adopt(worker, (worker) => { worker.close(); });
    stack.defer(async () => {
      forceExit();
      await waitForExit();
    });
    step('work');
    worker.read();
  }
  return exited;
}
