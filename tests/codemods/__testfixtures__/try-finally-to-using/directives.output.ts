export function main() {
  // @ts-expect-error -- the name is a number here on purpose
  const a = open(1);
  using stack = new DisposableStack();
  // biome-ignore lint: a directive above a statement that moves into a block
  // prettier-ignore
  stack.defer(() => trace(  'closed'  ));
  // @ts-expect-error -- close() takes no argument
  stack.defer(() => a.close('now'));
  // eslint-disable-next-line no-console -- a directive in the body stays above its line
  a.read();
}
