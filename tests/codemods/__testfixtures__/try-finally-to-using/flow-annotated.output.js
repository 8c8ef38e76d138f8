// @flow
// A Flow-annotated `.js` file, as plain jscodeshift (its `babylon` parser) reads it. The
// annotations here are also TypeScript syntax, so that the twin rule's parser reads it too.
import type { Socket } from './socket';

type Options = { timeout: number };

export function send(socket: Socket, message: string, options?: Options): number {
  using stack = new DisposableStack();
  const conn = stack.adopt(socket.connect(options), (conn) => conn.close());
  return conn.write(message);
}
