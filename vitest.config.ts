import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup/rule-tester.ts'],
    // Development-only downloads (the oracle's Node 24) happen here, never in `prepare`.
    globalSetup: ['tests/setup/node24.ts'],
    // The end-to-end and oracle tests spawn processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
