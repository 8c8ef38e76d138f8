'use strict'

export function main() {
  const a = open('a')
  {
    using stack = new DisposableStack()
    stack.defer(() => trace('closed'))
    stack.adopt(a, (a) => a.close());
    [1, 2].forEach((n) => trace(`n${n}`))
    step('body')
  }
  return 'done'
}
