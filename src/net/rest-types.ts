import type { VenuekitError } from '../core/errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

/** Request parameters in the order they are sent. `undefined` and `null` values are left out. */
export type Params = Readonly<Record<string, string | number | boolean | bigint | undefined | null>>;

export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface RestRequest<L extends string = string> {
  /** Default GET. */
  method?: HttpMethod;
  /** Path below the base URL, such as `/api/v3/order`. */
  path: string;
  /** Another base URL for this one request (the spec's `overwrite_url`). */
  baseUrl?: string;
  /** Query string parameters. */
  params?: Params;
  /** Request body: parameters (encoded per `bodyEncoding`) or a ready string. */
  body?: Params | string;
  /** Default `form` (application/x-www-form-urlencoded). */
  bodyEncoding?: 'form' | 'json';
  /** Sign with the client's signer after the rate limiter grants the slot. */
  signed?: boolean;
  /** The rate limit id this request is charged to. Default: `path`. */
  limitId?: L;
  headers?: Readonly<Record<string, string>>;
  /** Per-request timeout covering connect, headers and body. Default: the client's. */
  timeoutMs?: number;
  /**
   * Retry retryable failures with backoff. Default true for GET and HEAD, false for anything else:
   * a request that changes state (creating an order) is never repeated blindly, since its first
   * attempt may have been executed.
   */
  retry?: boolean;
  /** Give up waiting for a rate limit slot after this long (RateLimitedError, nothing sent). */
  maxQueueMs?: number;
  signal?: AbortSignal;
}

/** A request as it goes on the wire. Signers add to it and return it. */
export interface PreparedRequest {
  readonly method: HttpMethod;
  /** Path including any base URL prefix, without the query string. */
  readonly path: string;
  /** Percent-encoded query string without the leading `?` (may be empty). */
  query: string;
  body: string | undefined;
  headers: Record<string, string>;
}

export interface RestResponse<T = unknown> {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** Parsed JSON when the body is JSON, the text otherwise, undefined when empty. */
  readonly body: T;
}

/** What a hook may know about the request that produced a response (never its signature or key). */
export interface RequestInfo {
  readonly method: HttpMethod;
  readonly path: string;
  readonly limitId: string;
  readonly signed: boolean;
}

/**
 * Signs a prepared request with the exchange's scheme: adds the timestamp, the signature, the key
 * header. Called once per attempt, after the rate limiter granted the slot, so the timestamp is
 * fresh however long the request waited. `timestampMs` is the exchange's time (see TimeSynchronizer).
 */
export interface RequestSigner {
  sign(request: PreparedRequest, timestampMs: number): PreparedRequest | Promise<PreparedRequest>;
}

/**
 * Turns an exchange's answer into the error taxonomy: its error codes to AuthenticationError,
 * TimestampError, InvalidOrderError, OrderNotFoundError... Called for every response; return
 * undefined for success, or to let the client classify an error response by its HTTP status.
 */
export interface ErrorMapper {
  mapError(response: RestResponse, request: RequestInfo): VenuekitError | undefined;
}

/** A pool's usage as the exchange reported it. */
export interface ReportedUsage {
  readonly pool: string;
  readonly used: number;
}

/** Reads the exchange's own count of used weight from response headers (Binance's X-MBX-USED-WEIGHT-1M). */
export interface UsageReader {
  /** The rate limit pools this reader reports on, checked against the limiter when the client is built. */
  readonly pools: readonly string[];
  readUsage(headers: ResponseHeaders): Iterable<ReportedUsage>;
}
