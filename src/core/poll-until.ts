/** How often `pollUntil` looks again. */
const POLL_INTERVAL_MS = 20;

/**
 * Waits until `condition()` holds, looking every 20 ms of real time; resolves whether it held
 * before `timeoutMs` ran out. For states that follow network answers (no event announces them),
 * so real time, not the connector's clock.
 */
export async function pollUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
