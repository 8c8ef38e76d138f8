export function main() {
  const kind = 'file';
  switch (kind) {
    case 'file':
      const f = open('f');
      try {
        step('in case');
      } finally {
        f.close();
      }
      break;
    default:
      trace('other');
  }
}
