/**
 * `stack`, or the first of `stack2`, `stack3`… that `text` (the enclosing function of the new
 * binding) never mentions and that is not in `taken`. A name the function does not mention
 * cannot be shadowed by the new binding, nor put in its temporal dead zone.
 */
export function freeStackName(text: string, taken: ReadonlySet<string> = new Set()): string {
  for (let suffix = 1; ; suffix++) {
    const name = suffix === 1 ? 'stack' : `stack${suffix}`;
    if (!taken.has(name) && !new RegExp(`(?<![\\w$])${name}(?![\\w$])`, 'u').test(text)) return name;
  }
}
