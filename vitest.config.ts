import { defineConfig } from 'vitest/config';

/**
 * Test files that measure time in the browser. They run after every other file, on a
 * machine of their own: with another file building a site on the second core, a time
 * budget measures the neighbour as much as the code (a CI run once timed the first search
 * at 310 ms against 195 ms alone).
 */
const TIMED = ['tests/search-golden.test.ts'];

export default defineConfig({
  test: {
    // Builds and browser tests take seconds, not milliseconds.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // Two cores on this machine kind: more workers only fight over them.
    maxWorkers: 2,
    globalSetup: ['tests/setup/global.ts'],
    projects: [
      { extends: true, test: { name: 'parallel', include: ['tests/**/*.test.ts'], exclude: TIMED, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'timed', include: TIMED, sequence: { groupOrder: 1 } } },
    ],
  },
});
