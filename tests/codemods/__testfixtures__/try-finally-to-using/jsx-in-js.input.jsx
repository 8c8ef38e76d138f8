export function main() {
  const session = open('session');
  try {
    const view = <span>{session.name}</span>;
    return typeof view;
  } finally {
    session.close();
  }
}
