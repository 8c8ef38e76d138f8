export function main() {
  {
    using stack = new DisposableStack();
    const a = stack.adopt(open('a'), (a) => a.close());
    try {
      step('body');
    } catch (error) {
      trace(String((error as Error).stack !== undefined));
      throw error;
    }
  }
  return helper();
}

function helper() {
  const stack: string[] = [];
  {
    using stack1 = new DisposableStack();
    const b = stack1.adopt(open('b'), (b) => b.close());
    stack.push('b');
    b.read();
  }
  return stack.join(',');
}
