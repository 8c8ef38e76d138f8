import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup/rule-tester.ts'],
    // Development-only downloads (the oracle's Node 24) happen here, never in `prepare`.
    globalSetup: ['tests/setup/node24.ts', 'tests/setup/pack.ts'],
    // Vitest's default on 2 cores is one worker; the end-to-end files spend most of their time
    // waiting on child processes (npm, git, pre-commit), so two files at a time fill both cores.
    maxWorkers: 2,
    // The end-to-end and oracle tests spawn processes; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 180_000,
  },
});
