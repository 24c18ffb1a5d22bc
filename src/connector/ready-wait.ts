import { ExchangeUnavailableError } from '../core/errors.js';
import type { ExchangeStatus } from './exchange-types.js';

/** How often `waitUntilReady` looks: readiness comes from network answers, not from the connector's clock. */
const CHECK_INTERVAL_MS = 20;

/**
 * Resolves once `status()` is all true; after `timeoutMs` rejects with ExchangeUnavailableError
 * naming the parts that are not ready (retryable: the caller may wait again).
 */
export async function waitUntilReady(name: string, status: () => ExchangeStatus, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = Object.entries(status())
      .filter(([, ok]) => !ok)
      .map(([part]) => part);
    if (missing.length === 0) return;
    if (Date.now() >= deadline) throw new ExchangeUnavailableError(`${name} was not ready after ${timeoutMs / 1000} s (not ready: ${missing.join(', ')}); the log says why`);
    await new Promise((resolve) => setTimeout(resolve, CHECK_INTERVAL_MS));
  }
}
