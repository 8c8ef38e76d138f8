// A database transaction with a pooled client.
// ctx/prefer-using: the client is released in a finally block; the codemod registers the
// release on an AsyncDisposableStack right after the client is acquired.
// The second function only flips a flag in its finally: the codemod leaves such a lone
// side-effect alone by default (reason lone-side-effect; --all-sites converts it too).

export async function transfer(pool, from, to, amount) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
    await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
    await client.query('COMMIT');
  } finally {
    await client.release();
  }
}

let busy = false;

export async function runExclusive(task) {
  busy = true;
  try {
    return await task();
  } finally {
    busy = false;
  }
}

export function isBusy() {
  return busy;
}
