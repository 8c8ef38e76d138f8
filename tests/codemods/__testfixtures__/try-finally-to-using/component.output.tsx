export function main() {
  using stack = new DisposableStack();
  const session = stack.adopt(open('session'), (session) => session.close());
  step('render');
  // JSX is never evaluated here (no React at run time): the case is about parsing and printing.
  const view = () => <div title={session.name}>{session.name}</div>;
  return typeof view;
}
