import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds and browser tests take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Two cores on this machine kind: more workers only fight over them.
    maxWorkers: 2,
    globalSetup: ['tests/setup/global.ts'],
  },
});
