export function main() {
  const a = open('a');
  try {
    step('body');
  } catch (error) {
    trace(String((error as Error).stack !== undefined));
    throw error;
  } finally {
    a.close();
  }
  return helper();
}

function helper() {
  const stack: string[] = [];
  const b = open('b');
  try {
    stack.push('b');
    b.read();
  } finally {
    b.close();
  }
  return stack.join(',');
}
