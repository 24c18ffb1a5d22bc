import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests open real sockets and SQLite files; two workers match the 2-core CI machine.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
