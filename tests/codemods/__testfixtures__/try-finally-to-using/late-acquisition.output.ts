export function main() {
  let conn: ReturnType<typeof open> | undefined;
  using stack = new DisposableStack();
  stack.defer(() => {
    if (conn) {
      conn.close();
    }
  });
  step('before');
  conn = open('conn');
  conn.read();
}
