export function main() {
  const a = open('a');
  try {
    /**
     * A block comment in moved code: its lines
     *   keep their indentation, which is part of its text.
     */
    const sql = `
      SELECT name
        FROM resources
    `;
    trace(sql);
    trace(String.raw`raw first
    raw second\n`);
    trace(`outer ${`inner
      nested`} tail
  end`);
    trace('line one \
    continued');
    step('body');
  } finally {
    trace(`closing
    ${a.name}`);
    a.close();
  }
}
