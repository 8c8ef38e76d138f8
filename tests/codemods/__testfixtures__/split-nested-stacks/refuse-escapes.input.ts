// The inner binding leaves its scope: whoever receives it expects the shared stack.
let kept: DisposableStack | undefined;

export function main() {
  using stack = new DisposableStack();
  stack.use(open('outer-a'));
  {
    using inner = stack;
    inner.use(open('b'));
    kept = inner;
  }
  return kept === stack ? 'same' : 'other';
}
