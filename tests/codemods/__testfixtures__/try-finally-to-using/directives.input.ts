export function main() {
  // @ts-expect-error -- the name is a number here on purpose
  const a = open(1);
  try {
    // eslint-disable-next-line no-console -- a directive in the body stays above its line
    a.read();
  } finally {
    // @ts-expect-error -- close() takes no argument
    a.close('now');
    // biome-ignore lint: a directive above a statement that moves into a block
    // prettier-ignore
    trace(  'closed'  );
  }
}
