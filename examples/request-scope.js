// Per-request resources collected on a DisposableStack.
// ctx/no-use-after-dispose: the stack is disposed when the response is sent; the log file
// opened afterwards is registered on a dead stack, which throws a ReferenceError at run time.

export function handleRequest(request, openDatabase, openLog) {
  const resources = new DisposableStack();
  const db = resources.use(openDatabase());
  const rows = db.query(request.sql);
  resources.dispose();
  const log = resources.use(openLog());
  log.write(`${rows.length} rows`);
  return rows;
}
