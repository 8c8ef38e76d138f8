export function main() {
  const session = open('session');
  try {
    step('render');
    // JSX is never evaluated here (no React at run time): the case is about parsing and printing.
    const view = () => <div title={session.name}>{session.name}</div>;
    return typeof view;
  } finally {
    session.close();
  }
}
