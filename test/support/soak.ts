/** Iteration counts for tests: `npm test` keeps them small; `npm run test:soak` sets VENUEKIT_SOAK=1 for long runs. */
export const SOAK = process.env.VENUEKIT_SOAK === '1';

export function runs(normal: number, soak: number): number {
  return SOAK ? soak : normal;
}
