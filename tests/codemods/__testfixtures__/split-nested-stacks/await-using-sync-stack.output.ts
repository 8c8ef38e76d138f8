// `await using` of a synchronous stack in a loop body: the new stack keeps its class.
export async function main() {
  using stack = new DisposableStack();
  stack.use(await openAsync('outer-a'));
  for (const name of ['b', 'c']) {
    await using pass = new DisposableStack();
    pass.use(await openAsync(name));
    step(name);
  }
  return 'done';
}
