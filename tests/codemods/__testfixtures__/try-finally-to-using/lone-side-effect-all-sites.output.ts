// With `allSites` (`ctx-codemod --all-sites`), a lone side effect converts like any cleanup.
let busy = false;

export function main() {
  busy = true;
  {
    using stack = new DisposableStack();
    stack.defer(() => {
      busy = false;
    });
    step('work');
  }
  return busy;
}
