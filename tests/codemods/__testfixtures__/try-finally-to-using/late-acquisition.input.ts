export function main() {
  let conn: ReturnType<typeof open> | undefined;
  try {
    step('before');
    conn = open('conn');
    conn.read();
  } finally {
    if (conn) {
      conn.close();
    }
  }
}
