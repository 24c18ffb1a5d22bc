import { InvalidOrderError, isVenuekitError, type ErrorKind, type VenuekitError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * Verdicts on one order that a trading bot meets as a matter of course: the order breaks a rule
 * (a post-only quote the market moved into, -2010), the balance does not cover it, the exchange no
 * longer has it open (a cancel that lost the race to a fill). The caller hears of each through an
 * order event or a result already.
 */
const ROUTINE_KINDS: ReadonlySet<ErrorKind> = new Set(['invalid_order', 'insufficient_funds', 'order_not_found']);

export function isRoutineRefusal(err: unknown): err is VenuekitError {
  return isVenuekitError(err) && ROUTINE_KINDS.has(err.kind);
}

/**
 * Logs a failed order request. A routine refusal is `info` with the error's kind, code and message
 * (a market maker meets many; a stack says nothing about them). Anything else — a refusal about
 * the account or the connection (authentication, rate limit, clock), an unmapped exchange error, a
 * bug — is `warn` with the error and its stack.
 */
export function logOrderFailure(logger: Logger, context: Record<string, unknown>, err: unknown, message: string): void {
  if (!isRoutineRefusal(err)) {
    logger.warn({ ...context, err }, message);
    return;
  }
  const rule = err instanceof InvalidOrderError ? err.rule : undefined;
  logger.info(
    { ...context, refusal: { kind: err.kind, code: err.exchangeCode, message: err.message, ...(rule !== undefined && { rule }) } },
    message,
  );
}
