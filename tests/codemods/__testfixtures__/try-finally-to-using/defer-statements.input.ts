let busy = false;

export function main() {
  busy = true;
  const a = open('a');
  try {
    step('work');
  } finally {
    trace('finishing');
    a.close();
    busy = false;
  }
  return busy;
}
