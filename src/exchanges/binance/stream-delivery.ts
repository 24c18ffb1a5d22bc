import type { Logger } from '../../core/logger.js';
import type { ParseFailure } from './parse.js';

/** How the stream sources hand on what they receive: skipped messages logged, listeners isolated. */

/**
 * Logs a stream message that parsing turned down, at the level its reason deserves: a malformed
 * message is Binance (or a proxy) sending something it should not, worth a warning; a message for a
 * symbol outside the symbol map (another market of the account, or one delisted since the map was
 * loaded) or for a feature venuekit does not handle is expected and only logged at debug level.
 */
export function logSkippedMessage(logger: Logger, failure: ParseFailure, what: string): void {
  const details = { reason: failure.reason, err: failure.error.message };
  if (failure.reason === 'malformed') logger.warn(details, `malformed ${what} skipped`);
  else logger.debug(details, `${what} skipped`);
}

/** Calls a listener; a throw is logged and goes no further, so one faulty listener cannot stop a stream. */
export function callListener(logger: Logger, what: string, call: () => void): void {
  try {
    call();
  } catch (err) {
    logger.error({ err }, `${what} listener threw; the stream goes on`);
  }
}
