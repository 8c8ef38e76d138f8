// With `allSites` (`ctx-codemod --all-sites`), a lone side effect converts like any cleanup.
let busy = false;

export function main() {
  busy = true;
  try {
    step('work');
  } finally {
    busy = false;
  }
  return busy;
}
