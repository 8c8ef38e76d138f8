export function main() {
  using stack = new DisposableStack();
  const session = stack.adopt(open('session'), (session) => session.close());
  const view = <div title={session.name}>{step('render')}</div>;
  return view.props.title;
}
