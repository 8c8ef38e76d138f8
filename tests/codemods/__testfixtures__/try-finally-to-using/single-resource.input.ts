export function main() {
  const file = open('file');
  try {
    step('read');
    file.read();
  } finally {
    file.close();
  }
  return 'done';
}
