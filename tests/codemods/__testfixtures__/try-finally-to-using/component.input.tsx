export function main() {
  const session = open('session');
  try {
    const view = <div title={session.name}>{step('render')}</div>;
    return view.props.title;
  } finally {
    session.close();
  }
}
