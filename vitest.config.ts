import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup/rule-tester.ts'],
    // The end-to-end and oracle tests spawn processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
