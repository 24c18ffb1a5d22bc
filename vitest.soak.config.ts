import { defineConfig } from 'vitest/config';

// `npm run test:soak`: the same suites with VENUEKIT_SOAK=1, which raises iteration counts
// (property runs, crash kills, stream durations). Tests read the multiplier from test/support/soak.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.soak.ts'],
    pool: 'forks',
    testTimeout: 1_800_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    minWorkers: 1,
  },
});
