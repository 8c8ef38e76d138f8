export function main() {
  const results = [];
  outer: for (const name of ['a', 'b', 'c']) {
    const r = open(name);
    try {
      if (name === 'b') break outer;
      results.push(name);
    } finally {
      r.close();
    }
  }
  return results.join(',');
}
