export function main() {
  const session = open('session');
  try {
    step('render');
    const view = () => <span>{session.name}</span>;
    return typeof view;
  } finally {
    session.close();
  }
}
