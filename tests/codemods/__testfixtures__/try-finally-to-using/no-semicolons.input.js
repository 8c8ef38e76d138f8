'use strict'

export function main() {
  const a = open('a')
  try {
    [1, 2].forEach((n) => trace(`n${n}`))
    step('body')
  } finally {
    a.close()
    trace('closed')
  }
  return 'done'
}
