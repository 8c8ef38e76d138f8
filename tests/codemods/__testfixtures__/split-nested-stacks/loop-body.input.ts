// A stack made outside a loop and bound in its body: the second pass binds a disposed stack.
export function main() {
  using stack = new DisposableStack();
  stack.use(open('outer-log'));
  for (const name of ['a', 'b']) {
    using pass = stack; // one per pass, please
    pass.use(open(name)).read();
  }
  return 'done';
}
