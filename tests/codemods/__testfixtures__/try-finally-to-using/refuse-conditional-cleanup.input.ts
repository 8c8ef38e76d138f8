export function main() {
  const a = open('a');
  let handedOff = false;
  try {
    step('body');
    handedOff = true;
    return a.name;
  } finally {
    if (!handedOff) a.close();
  }
}
