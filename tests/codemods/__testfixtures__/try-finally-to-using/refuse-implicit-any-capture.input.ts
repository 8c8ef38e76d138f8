interface Client {
  query(sql: string): Promise<unknown>;
  release(): void;
}

declare function connect(): Promise<Client>;

// `let client;` is typed by control flow; read from the cleanup callback it would be
// implicitly `any` (TS7034/TS7005 under noImplicitAny). Annotate it and the site converts
// (see late-acquisition).
export async function query() {
  let client;
  try {
    client = await connect();
    return await client.query('select 1');
  } finally {
    client?.release();
  }
}
