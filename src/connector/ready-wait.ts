import { ExchangeUnavailableError } from '../core/errors.js';
import { pollUntil } from '../core/poll-until.js';
import type { ExchangeStatus } from './exchange-types.js';

/**
 * Resolves once `status()` is all true; after `timeoutMs` rejects with ExchangeUnavailableError
 * naming the parts that are not ready (retryable: the caller may wait again).
 */
export async function waitUntilReady(name: string, status: () => ExchangeStatus, timeoutMs: number): Promise<void> {
  const missing = () => Object.entries(status()).filter(([, ok]) => !ok).map(([part]) => part);
  if (await pollUntil(() => missing().length === 0, timeoutMs)) return;
  throw new ExchangeUnavailableError(`${name} was not ready after ${timeoutMs / 1000} s (not ready: ${missing().join(', ')}); the log says why`);
}
