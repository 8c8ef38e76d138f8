// A stack nobody else uses, bound in a loop body: each pass gets its own.
export function main() {
  for (const name of ['a', 'b']) {
    using pass = new DisposableStack();
    pass.use(open(name));
    step(name);
  }
  return 'done';
}
