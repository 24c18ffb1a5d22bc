/**
 * One error taxonomy for all of venuekit. Each error says whether retrying the same request can
 * succeed; connectors map their exchange's codes onto these classes (see each exchange's `parse`).
 *
 * A confirmed "order not found" from the exchange (OrderNotFoundError) is a different thing from a
 * transport failure (NetworkError, RequestTimeoutError): only the former may ever count towards
 * declaring an order lost.
 */
export type ErrorKind =
  | 'network'
  | 'timeout'
  | 'rate_limited'
  | 'exchange_unavailable'
  | 'authentication'
  | 'timestamp'
  | 'invalid_order'
  | 'insufficient_funds'
  | 'order_not_found'
  | 'unknown_order_status'
  | 'exchange_error'
  | 'invalid_argument';

export interface VenuekitErrorOptions {
  cause?: unknown;
  /** The exchange's own error code, such as Binance's -2010. */
  exchangeCode?: number | string;
  httpStatus?: number;
}

export abstract class VenuekitError extends Error {
  abstract readonly kind: ErrorKind;
  abstract readonly retryable: boolean;
  readonly exchangeCode: number | string | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, options: VenuekitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exchangeCode = options.exchangeCode;
    this.httpStatus = options.httpStatus;
  }
}

/** The connection failed (refused, reset, DNS): the request may or may not have reached the exchange. */
export class NetworkError extends VenuekitError {
  readonly kind = 'network';
  readonly retryable = true;
}

/** No answer within the timeout: the outcome is unknown. */
export class RequestTimeoutError extends VenuekitError {
  readonly kind = 'timeout';
  readonly retryable = true;
}

/** HTTP 429 (or 418 when `banned`): every request to this exchange must pause for `retryAfterMs`. */
export class RateLimitedError extends VenuekitError {
  readonly kind = 'rate_limited';
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    readonly banned = false,
    options: VenuekitErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** 5xx or maintenance: the exchange cannot serve now. */
export class ExchangeUnavailableError extends VenuekitError {
  readonly kind = 'exchange_unavailable';
  readonly retryable = true;
}

/** Bad key, bad signature, missing permission. Retrying the same request cannot help. */
export class AuthenticationError extends VenuekitError {
  readonly kind = 'authentication';
  readonly retryable = false;
}

/** The request's timestamp was outside the exchange's window (Binance -1021): resync the clock, then retry once. */
export class TimestampError extends VenuekitError {
  readonly kind = 'timestamp';
  readonly retryable = true;
}

/** The order breaks a trading rule (size, price increment, notional...). `rule` names it. */
export class InvalidOrderError extends VenuekitError {
  readonly kind = 'invalid_order';
  readonly retryable = false;
  constructor(
    message: string,
    readonly rule?: string,
    options: VenuekitErrorOptions = {},
  ) {
    super(message, options);
  }
}

export class InsufficientFundsError extends VenuekitError {
  readonly kind = 'insufficient_funds';
  readonly retryable = false;
}

/** The exchange answered, and it does not know this order. */
export class OrderNotFoundError extends VenuekitError {
  readonly kind = 'order_not_found';
  readonly retryable = false;
}

/** The exchange accepted the request but could not say what happened (Binance -1007): query to find out. */
export class UnknownOrderStatusError extends VenuekitError {
  readonly kind = 'unknown_order_status';
  readonly retryable = true;
}

/** Any other refusal from the exchange. */
export class ExchangeError extends VenuekitError {
  readonly kind = 'exchange_error';
  readonly retryable = false;
}

/** A caller passed something invalid; thrown at once, before anything is sent. */
export class InvalidArgumentError extends VenuekitError {
  readonly kind = 'invalid_argument';
  readonly retryable = false;
  constructor(
    message: string,
    readonly field?: string,
    options: VenuekitErrorOptions = {},
  ) {
    super(message, options);
  }
}

export function isVenuekitError(err: unknown): err is VenuekitError {
  return err instanceof VenuekitError;
}

export function isRetryable(err: unknown): boolean {
  return isVenuekitError(err) && err.retryable;
}

/**
 * Whether a failed create may still have reached the exchange, so the order must stay tracked
 * (PENDING_CREATE) until a query says what happened. Only a definite refusal is a failure.
 */
export function isOutcomeUnknown(err: unknown): boolean {
  if (!isVenuekitError(err)) return true;
  return (
    err.kind === 'network' ||
    err.kind === 'timeout' ||
    err.kind === 'exchange_unavailable' ||
    err.kind === 'unknown_order_status'
  );
}
