// The jscodeshift baseline for `npm run bench`: parse and print every file, change nothing.
export default function noop(file, api) {
  return api.jscodeshift(file.source).toSource();
}
