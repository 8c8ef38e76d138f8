import { expect, it, vi } from 'vitest';

// jest-mock 30 and @vitest/spy 4 make every mock disposable: `[Symbol.dispose]` calls
// `mockRestore()`. A spy restored in `finally` is declared with `using`.
it('silences the log once', () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    run();
    expect(log).toHaveBeenCalledTimes(1);
  } finally {
    log.mockRestore();
  }
});

// Next to another resource, the spy is registered with `use` on the shared `DisposableStack`.
it('restores the clock and the spy', () => {
  const now = jest.spyOn(Date, 'now').mockReturnValue(0);
  try {
    const server = start();
    try {
      expect(server.uptime()).toBe(0);
    } finally {
      server.close();
    }
  } finally {
    now.mockRestore();
  }
});

// `mockReset()` is not what `[Symbol.dispose]` calls: the call is adopted as written.
it('resets, not restores', () => {
  const fetch = vi.fn();
  try {
    load(fetch);
  } finally {
    fetch.mockReset();
  }
});
