// The try is the function's last statement, but its block declares `a`, a name a closure made
// before the try reads from the module: unwrapped, the block's `a` would capture it. The stack
// gets a block of its own instead.
const a = 'module a';

export function main() {
  const report = () => trace(`report sees ${typeof a}`);
  const cleanups = [];
  try {
    const a = open('a');
    cleanups.push(() => a.close());
    report();
  } finally {
    for (const cleanup of cleanups.reverse()) cleanup();
  }
}
