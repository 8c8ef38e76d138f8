// Single-use resources: a stack's cleanups run once, when it is disposed, and a `using`
// binding is disposed when its block ends.
// ctx/no-floating-disposable: `scratch` collects a cleanup on a stack that nobody disposes, so
// the temporary file is never removed.
// ctx/no-using-escape: `openLog` returns a log it binds with `using`: the caller gets a log
// that was closed on the way out.

export function prepare(openTemp) {
  const scratch = new DisposableStack();
  scratch.use(openTemp());
  return 'ready';
}

export function openLog(open) {
  using log = open('app.log');
  log.write('opened');
  return log;
}
