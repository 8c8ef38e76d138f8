// The classic pre-`using` idiom: a list of cleanups run in reverse in `finally`. It becomes one
// DisposableStack; the try/finally goes, the body joins the function.
export function main() {
  using stack = new DisposableStack();
  const a = open('a');
  stack.defer(() => a.close());
  const b = open('b');
  stack.defer(() => b.close());
  step('work');
  a.read();
  b.read();
}
