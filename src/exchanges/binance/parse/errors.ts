import {
  AuthenticationError,
  ExchangeError,
  ExchangeUnavailableError,
  InsufficientFundsError,
  InvalidOrderError,
  OrderNotFoundError,
  RateLimitedError,
  TimestampError,
  UnknownOrderStatusError,
  isOutcomeUnknown,
  type VenuekitError,
  type VenuekitErrorOptions,
} from '../../../core/errors.js';
import { DEFAULT_RETRY_AFTER, parseRetryAfter, type RetryAfterDefaults } from '../../../net/http-errors.js';
import type { ErrorMapper, RequestInfo, RestResponse } from '../../../net/rest-types.js';
import type { WsErrorMapper } from '../../../net/ws-requests.js';
import { PATHS } from '../constants.js';

/**
 * Binance error codes (reference §1.5, §4) → venuekit's error taxonomy. The code decides; the
 * message only where one code means several things (-2010, -2011) or names the broken filter
 * (-1013). The HTTP status has the last word on two points, as in src/net: 429/418 is always a rate
 * limit, and a 5xx always leaves the outcome unknown.
 */

/** Binance's error body: `{"code": -1121, "msg": "Invalid symbol."}`. */
export interface BinanceErrorBody {
  readonly code: number;
  readonly msg: string;
}

export function readErrorBody(body: unknown): BinanceErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { code, msg } = body as { code?: unknown; msg?: unknown };
  if (typeof code !== 'number' || !Number.isInteger(code)) return undefined;
  return { code, msg: typeof msg === 'string' ? msg : '' };
}

export interface BinanceErrorContext {
  /** What was asked, for the message: `POST /api/v3/order`, `WebSocket API`. */
  readonly where: string;
  /** HTTP status, or the WebSocket API answer's `status`. */
  readonly httpStatus?: number;
  /** The request placed an order: parameter errors then mean the order is invalid. */
  readonly placesOrder?: boolean;
  /** The exchange's own pause, when it said (Retry-After, `data.retryAfter`). */
  readonly retryAfterMs?: number;
  /** Clock for "IP banned until <epoch ms>" messages. Without it the default pause applies. */
  readonly now?: () => number;
  readonly retryAfterDefaults?: RetryAfterDefaults;
}

/** Parameter errors (-11xx): a bug in the request, or for a create an order the exchange refuses. */
const PARAMETER_CODES = new Set([-1100, -1101, -1102, -1103, -1104, -1105, -1106, -1111, -1112, -1114, -1115, -1116, -1117, -1121]);

/** -2010 reasons (the engine's message) → the rule they break. Insufficient balance is its own error type. */
const REJECTION_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [/immediately match and take/i, 'post_only'],
  [/duplicate order/i, 'duplicate_client_order_id'],
  [/market is closed/i, 'market_closed'],
  [/would trigger immediately/i, 'stop_price'],
  [/not permitted for this account/i, 'symbol_not_permitted'],
  [/orders are not supported/i, 'order_type'],
  [/liquidity/i, 'liquidity'],
];

function filterRule(msg: string): string | undefined {
  const filter = /Filter failure:\s*([A-Z_]+)/.exec(msg);
  if (filter) return filter[1];
  if (/self-trade prevention/i.test(msg)) return 'self_trade_prevention_mode';
  return undefined;
}

/** How long a rate-limited answer says to wait: the exchange's own figure, a ban's end, or the default. */
function retryAfter(ctx: BinanceErrorContext, msg: string, banned: boolean): number {
  if (ctx.retryAfterMs !== undefined) return Math.max(0, ctx.retryAfterMs);
  const until = /banned until (\d{10,})/i.exec(msg);
  if (until && ctx.now) return Math.max(0, Number(until[1]) - ctx.now());
  const defaults = ctx.retryAfterDefaults ?? DEFAULT_RETRY_AFTER;
  return banned ? defaults.bannedMs : defaults.tooManyRequestsMs;
}

/** The taxonomy error for Binance error `code` with message `msg`. */
export function mapBinanceError(code: number, msg: string, ctx: BinanceErrorContext): VenuekitError {
  const status = ctx.httpStatus;
  const message = `${ctx.where}: Binance ${code} ${msg}`.trimEnd();
  const options: VenuekitErrorOptions = { exchangeCode: code, ...(status !== undefined && { httpStatus: status }) };
  const banned = status === 418 || /banned/i.test(msg);
  let error: VenuekitError;
  switch (code) {
    case -1003:
    case -1015:
      error = new RateLimitedError(message, retryAfter(ctx, msg, banned), banned, options);
      break;
    case -1021:
      error = new TimestampError(message, options);
      break;
    case -1002:
    case -1022:
    case -2014:
    case -2015:
      error = new AuthenticationError(message, options);
      break;
    case -1006:
    case -1007:
      error = new UnknownOrderStatusError(message, options);
      break;
    case -1000:
    case -1001:
    case -1008:
      error = new ExchangeUnavailableError(message, options);
      break;
    case -1013:
      error = new InvalidOrderError(message, filterRule(msg), options);
      break;
    case -2010:
      if (/insufficient balance/i.test(msg)) error = new InsufficientFundsError(message, options);
      else error = new InvalidOrderError(message, REJECTION_RULES.find(([re]) => re.test(msg))?.[1], options);
      break;
    case -2011:
      // "Unknown order sent." means "not open": never placed, or already filled, cancelled or
      // expired. Query the order before concluding anything. "Order was not canceled due to cancel
      // restrictions." is no "not found" at all: the order exists.
      error = /unknown order/i.test(msg) ? new OrderNotFoundError(message, options) : new ExchangeError(message, options);
      break;
    case -2013:
      error = new OrderNotFoundError(message, options);
      break;
    default:
      error = PARAMETER_CODES.has(code) && ctx.placesOrder ? new InvalidOrderError(message, undefined, options) : new ExchangeError(message, options);
  }
  return withStatusRules(error, status, ctx, msg);
}

function withStatusRules(error: VenuekitError, status: number | undefined, ctx: BinanceErrorContext, msg: string): VenuekitError {
  if (status === undefined) return error;
  if ((status === 429 || status === 418) && !(error instanceof RateLimitedError)) {
    const banned = status === 418;
    return new RateLimitedError(error.message, retryAfter(ctx, msg, banned), banned, { exchangeCode: error.exchangeCode, httpStatus: status, cause: error });
  }
  if (status >= 500 && !isOutcomeUnknown(error)) {
    return new ExchangeUnavailableError(error.message, { exchangeCode: error.exchangeCode, httpStatus: status, cause: error });
  }
  return error;
}

/** An error answer without Binance's `{code, msg}` (a proxy page, an empty 5xx): classified by status alone. */
function mapStatusOnly(status: number, body: unknown, ctx: BinanceErrorContext): VenuekitError {
  const text = typeof body === 'string' ? body : body === undefined ? '(empty body)' : JSON.stringify(body);
  const message = `${ctx.where}: HTTP ${status}: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
  const options = { httpStatus: status };
  if (status === 429 || status === 418) return new RateLimitedError(message, retryAfter(ctx, '', status === 418), status === 418, options);
  if (status >= 500) return new ExchangeUnavailableError(message, options);
  if (status === 401) return new AuthenticationError(message, options);
  return new ExchangeError(message, options);
}

export interface BinanceErrorMapperOptions {
  /** Clock for ban messages ("IP banned until <ms>") when no Retry-After header came. Default Date.now. */
  now?: () => number;
  retryAfterDefaults?: RetryAfterDefaults;
}

function placesOrder(request: RequestInfo): boolean {
  return request.method === 'POST' && (request.path.endsWith(PATHS.order) || request.path.endsWith(`${PATHS.order}/test`));
}

/** src/net's ErrorMapper for Binance REST answers: undefined for a success. */
export function binanceErrorMapper(options: BinanceErrorMapperOptions = {}): ErrorMapper {
  const now = options.now ?? Date.now;
  return {
    mapError(response: RestResponse, request: RequestInfo): VenuekitError | undefined {
      if (response.status < 400) return undefined;
      const retryAfterMs = parseRetryAfter(response.headers, now());
      const ctx: BinanceErrorContext = {
        where: `${request.method} ${request.path}`,
        httpStatus: response.status,
        placesOrder: placesOrder(request),
        now,
        ...(retryAfterMs !== undefined && { retryAfterMs }),
        ...(options.retryAfterDefaults !== undefined && { retryAfterDefaults: options.retryAfterDefaults }),
      };
      const body = readErrorBody(response.body);
      return body ? mapBinanceError(body.code, body.msg, ctx) : mapStatusOnly(response.status, response.body, ctx);
    },
  };
}

/**
 * src/net's WsErrorMapper for WebSocket API answers `{id, status, error: {code, msg, data}}`:
 * undefined for a success or a frame that is not an answer. A rate-limited answer's
 * `data.retryAfter` (epoch ms) against `data.serverTime` gives the pause. An answer does not say
 * which method it answers, so parameter errors stay ExchangeError (a definite refusal all the same).
 */
export function binanceWsErrorMapper(options: BinanceErrorMapperOptions = {}): WsErrorMapper {
  const now = options.now ?? Date.now;
  return {
    mapError(message: unknown): VenuekitError | undefined {
      if (typeof message !== 'object' || message === null) return undefined;
      const { status, error } = message as { status?: unknown; error?: unknown };
      if (typeof status !== 'number' || (status < 400 && error === undefined)) return undefined;
      const body = readErrorBody(error);
      const ctx: BinanceErrorContext = {
        where: 'WebSocket API',
        httpStatus: status,
        now,
        ...wsRetryAfter(error, now),
        ...(options.retryAfterDefaults !== undefined && { retryAfterDefaults: options.retryAfterDefaults }),
      };
      return body ? mapBinanceError(body.code, body.msg, ctx) : mapStatusOnly(status, error, ctx);
    },
  };
}

function wsRetryAfter(error: unknown, now: () => number): { retryAfterMs?: number } {
  const data = (error as { data?: unknown } | null | undefined)?.data;
  if (typeof data !== 'object' || data === null) return {};
  const { retryAfter, serverTime } = data as { retryAfter?: unknown; serverTime?: unknown };
  if (typeof retryAfter !== 'number' || !Number.isFinite(retryAfter)) return {};
  const reference = typeof serverTime === 'number' && Number.isFinite(serverTime) ? serverTime : now();
  return { retryAfterMs: Math.max(0, retryAfter - reference) };
}
