import {
  AuthenticationError,
  ExchangeError,
  ExchangeUnavailableError,
  NetworkError,
  RateLimitedError,
  RequestTimeoutError,
  isOutcomeUnknown,
  isVenuekitError,
  type VenuekitError,
} from '../core/errors.js';
import type { RequestInfo, ResponseHeaders, RestResponse } from './rest-types.js';

export interface RetryAfterDefaults {
  /** Pause after a 429 that carries no Retry-After. Default 10 000. */
  tooManyRequestsMs: number;
  /** Pause after a 418 (IP banned) that carries no Retry-After. Default 120 000. */
  bannedMs: number;
}

export const DEFAULT_RETRY_AFTER: RetryAfterDefaults = { tooManyRequestsMs: 10_000, bannedMs: 120_000 };

/**
 * Retry-After in milliseconds: delta seconds (fractions accepted) or an HTTP date. Undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(headers: ResponseHeaders, nowMs = Date.now()): number | undefined {
  const raw = headers['retry-after'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export function isRateLimitStatus(status: number): boolean {
  return status === 429 || status === 418;
}

/** A short description of a response body for an error message. */
function describeBody(body: unknown): string {
  if (body === undefined) return '(empty body)';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * The taxonomy error for a response: the connector's mapping, with two rules no mapping can
 * override. A 429 or 418 is always a RateLimitedError carrying the Retry-After, since every request
 * to the exchange must pause; a 5xx always leaves the outcome unknown. Without a mapping, the
 * HTTP status decides.
 */
export function errorForResponse(
  response: RestResponse,
  request: RequestInfo,
  mapped: VenuekitError | undefined,
  retryAfterDefaults: RetryAfterDefaults,
): VenuekitError | undefined {
  const { status } = response;
  if (status < 400 && mapped === undefined) return undefined;
  const message = (what: string): string =>
    `${request.method} ${request.path}: HTTP ${status}${what}: ${describeBody(response.body)}`;
  if (isRateLimitStatus(status)) {
    const banned = status === 418;
    const retryAfterMs =
      parseRetryAfter(response.headers) ??
      (mapped instanceof RateLimitedError ? mapped.retryAfterMs : undefined) ??
      (banned ? retryAfterDefaults.bannedMs : retryAfterDefaults.tooManyRequestsMs);
    return new RateLimitedError(mapped?.message ?? message(banned ? ' IP banned' : ' too many requests'), retryAfterMs, banned, {
      httpStatus: status,
      exchangeCode: mapped?.exchangeCode,
      cause: mapped,
    });
  }
  if (status >= 500 && (mapped === undefined || !isOutcomeUnknown(mapped))) {
    // A 5xx leaves the outcome unknown whatever code the body carries: never let a mapping turn
    // it into a definite refusal, or a create that was executed would be marked failed.
    return new ExchangeUnavailableError(mapped?.message ?? message(''), {
      httpStatus: status,
      exchangeCode: mapped?.exchangeCode,
      cause: mapped,
    });
  }
  if (mapped) return mapped;
  const options = { httpStatus: status };
  if (status === 401) return new AuthenticationError(message(''), options);
  return new ExchangeError(message(''), options);
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** The taxonomy error for a failure below HTTP: refused, reset, dropped, timed out. */
export function errorForTransport(err: unknown, request: RequestInfo, timedOutAfterMs?: number): VenuekitError {
  if (isVenuekitError(err)) return err;
  const where = `${request.method} ${request.path}`;
  const code = (err as { code?: unknown } | null)?.code;
  if (timedOutAfterMs !== undefined) {
    return new RequestTimeoutError(`${where}: no complete answer within ${timedOutAfterMs} ms`, { cause: err });
  }
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) {
    return new RequestTimeoutError(`${where}: ${(err as Error).message}`, { cause: err });
  }
  const detail = err instanceof Error ? err.message || err.name : String(err);
  return new NetworkError(`${where}: ${typeof code === 'string' ? `${code} ` : ''}${detail}`, { cause: err });
}
