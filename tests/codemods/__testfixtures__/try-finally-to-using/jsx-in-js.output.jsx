export function main() {
  using stack = new DisposableStack();
  const session = stack.adopt(open('session'), (session) => session.close());
  step('render');
  const view = () => <span>{session.name}</span>;
  return typeof view;
}
