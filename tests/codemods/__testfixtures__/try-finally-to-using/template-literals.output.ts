export function main() {
  const a = open('a');
  using stack = new DisposableStack();
  stack.adopt(a, (a) => a.close());
  stack.defer(() => trace(`closing
    ${a.name}`));
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
}
