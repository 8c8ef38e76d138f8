// Async code compiled for ES2015 (TypeScript's __awaiter, Babel's regenerator) awaits with
// `yield` inside a generator: `yield acquire()` acquires as `await acquire()` does.
function run(makeGenerator) {
  return new Promise((resolve, reject) => {
    const generator = makeGenerator();
    const resume = (method, input) => {
      let result;
      try {
        result = generator[method](input);
      } catch (error) {
        reject(error);
        return;
      }
      if (result.done) resolve(result.value);
      else Promise.resolve(result.value).then((value) => resume('next', value), (error) => resume('throw', error));
    };
    resume('next', undefined);
  });
}

async function acquire(name) {
  const resource = await openAsync(name);
  return [resource, () => resource.close()];
}

export function main() {
  return run(function* () {
    const [value, release] = yield acquire('lock');
    using stack = new DisposableStack();
    stack.defer(() => release());
    value.read();
    yield openAsync('inner');
    step('body');
  });
}
