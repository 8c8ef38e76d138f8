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
  try {
    step('work');
    worker.read();
  } finally {
    forceExit();
    await waitForExit();
    worker.close();
  }
  return exited;
}
