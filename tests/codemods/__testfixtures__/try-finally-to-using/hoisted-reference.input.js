export function main() {
  function describe() {
    return `resource ${a.name}`;
  }
  const a = open('a');
  try {
    step('body');
  } finally {
    a.close();
  }
  return describe();
}
