import { expect, it, vi } from 'vitest';

// jest-mock 30 and @vitest/spy 4 make every mock disposable: `[Symbol.dispose]` calls
// `mockRestore()`. A spy restored in `finally` is declared with `using`.
it('silences the log once', () => {
  using log = vi.spyOn(console, 'log').mockImplementation(() => {});
  run();
  expect(log).toHaveBeenCalledTimes(1);
});

// Next to another resource, the spy is registered with `use` on the shared `DisposableStack`.
it('restores the clock and the spy', () => {
  using stack = new DisposableStack();
  const now = stack.use(jest.spyOn(Date, 'now').mockReturnValue(0));
  const server = stack.adopt(start(), (server) => server.close());
  expect(server.uptime()).toBe(0);
});

// `mockReset()` is not what `[Symbol.dispose]` calls: the call is adopted as written.
it('resets, not restores', () => {
  using stack = new DisposableStack();
  const fetch = stack.adopt(vi.fn(), (fetch) => fetch.mockReset());
  load(fetch);
});
