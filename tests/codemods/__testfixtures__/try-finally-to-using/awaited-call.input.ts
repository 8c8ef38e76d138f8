async function report(): Promise<string> {
  await null;
  trace('reported');
  return 'report';
}

export async function main() {
  const a = open('a');
  try {
    step('body');
  } finally {
    a.close();
    await report();
  }
}
