/** Iteration counts for tests: `npm test` keeps them small; `npm run test:soak` sets VENUEKIT_SOAK=1 for long runs. */
export const SOAK = process.env.VENUEKIT_SOAK === '1';

export function runs(normal: number, soak: number): number {
  return SOAK ? soak : normal;
}

/**
 * Lets the event loop turn. A property test awaits it once per run, so a soak run of many minutes
 * never holds its vitest worker so long that the worker's calls to the main process time out
 * (vitest reports that as an unhandled error, failing the run though every test passed).
 */
export function yieldToWorker(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
