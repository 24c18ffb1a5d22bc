import { EventEmitter } from 'node:events';
import { Pool } from 'undici';
import {
  InvalidArgumentError,
  RateLimitedError,
  TimestampError,
  type VenuekitError,
} from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { abortReason, afterPendingIo, monotonicClock, sleep, type NetClock } from './clock.js';
import { encodeParams } from './encode.js';
import { DEFAULT_RETRY_AFTER, errorForResponse, errorForTransport, type RetryAfterDefaults } from './http-errors.js';
import type { RateLimiter } from './rate-limiter.js';
import type {
  ErrorMapper,
  PreparedRequest,
  RequestInfo,
  RequestSigner,
  ResponseHeaders,
  RestRequest,
  RestResponse,
  UsageReader,
} from './rest-types.js';

/** The exchange's clock, for timestamps (a TimeSynchronizer). */
export interface ServerClock {
  now(): number;
  resync(): Promise<void>;
}

export interface RestClientOptions<L extends string = string> {
  /** Such as `https://api.binance.com`; a path prefix is kept. */
  baseUrl: string;
  /** Every request waits here for its slot before it is signed and sent. */
  limiter?: RateLimiter<L>;
  signer?: RequestSigner;
  /** Timestamps for signing, and a resync when the exchange refuses one (TimestampError). */
  timeSync?: ServerClock;
  errorMapper?: ErrorMapper;
  usageReader?: UsageReader;
  /** Default per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** Retries of retryable reads: total attempts (default 3) and the backoff between them. */
  retry?: Partial<BackoffOptions> & { attempts?: number };
  retryAfterDefaults?: Partial<RetryAfterDefaults>;
  /** Keep-alive connections per origin. Default 16. */
  connections?: number;
  keepAliveTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Sent with every request (a user agent, an API key header for unsigned private calls). */
  headers?: Readonly<Record<string, string>>;
  clock?: NetClock;
  logger?: Logger;
  /** Jitter source, replaceable for deterministic tests. */
  random?: () => number;
}

/** Options of `requestResponse` beyond the request itself. */
export interface ResponseOptions {
  /**
   * Return an exchange's error answer instead of throwing (the spec's `return_err`). Rate limits
   * are still honoured and transport failures still throw.
   */
  returnErrors?: boolean;
}

interface Target {
  readonly pool: Pool;
  readonly prefix: string;
}

interface Outcome {
  readonly response?: RestResponse;
  readonly error?: VenuekitError;
}

const DEFAULT_HEADERS = { accept: 'application/json', 'user-agent': 'venuekit' };

/**
 * The HTTP client a connector sends every REST call through (its `httpClient`). Per attempt:
 * wait for the rate limiter, sign, send on a keep-alive pool, read the exchange's usage headers,
 * map errors onto the taxonomy, pause the whole exchange on 429/418. Reads are retried with backoff;
 * anything else only when the caller says it is safe. A timestamp refusal resyncs the clock and is
 * sent once more, signed anew (the exchange refused it, so it was not executed).
 */
export class RestClient<L extends string = string> {
  private readonly base: URL;
  private readonly targets = new Map<string, Target>();
  private readonly pools = new Map<string, Pool>();
  private readonly limiter: RateLimiter<L> | undefined;
  private readonly signer: RequestSigner | undefined;
  private readonly timeSync: ServerClock | undefined;
  private readonly errorMapper: ErrorMapper | undefined;
  private readonly usageReader: UsageReader | undefined;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly backoff: BackoffOptions;
  private readonly retryAfterDefaults: RetryAfterDefaults;
  private readonly poolOptions: Pool.Options;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly clock: NetClock;
  private readonly logger: Logger;
  private readonly random: () => number;
  private closed = false;

  constructor(options: RestClientOptions<L>) {
    this.base = new URL(options.baseUrl);
    this.limiter = options.limiter;
    this.signer = options.signer;
    this.timeSync = options.timeSync;
    this.errorMapper = options.errorMapper;
    this.usageReader = options.usageReader;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.attempts = Math.max(1, options.retry?.attempts ?? 3);
    this.backoff = {
      initialDelayMs: options.retry?.initialDelayMs ?? 100,
      maxDelayMs: options.retry?.maxDelayMs ?? 2_000,
      factor: options.retry?.factor ?? 2,
      jitter: options.retry?.jitter ?? 0.5,
    };
    this.retryAfterDefaults = { ...DEFAULT_RETRY_AFTER, ...options.retryAfterDefaults };
    this.poolOptions = {
      connections: options.connections ?? 16,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      connect: { timeout: options.connectTimeoutMs ?? Math.min(this.timeoutMs, 10_000) },
    };
    this.headers = { ...DEFAULT_HEADERS, ...lowerCaseKeys(options.headers ?? {}) };
    this.clock = options.clock ?? monotonicClock;
    this.logger = options.logger ?? silentLogger();
    this.random = options.random ?? Math.random;

    if (this.usageReader && this.limiter) {
      for (const pool of this.usageReader.pools) {
        if (!this.limiter.hasPool(pool)) {
          throw new InvalidArgumentError(`usage reader reports on pool "${pool}", which the rate limiter does not have`, 'usageReader');
        }
      }
    }
  }

  get baseUrl(): string {
    return this.base.href;
  }

  /** Sends `req` and returns its parsed body; throws a taxonomy error on failure. */
  async request<T = unknown>(req: RestRequest<L>): Promise<T> {
    return (await this.requestResponse<T>(req)).body;
  }

  /** Like `request`, with the status and headers. */
  async requestResponse<T = unknown>(req: RestRequest<L>, options: ResponseOptions = {}): Promise<RestResponse<T>> {
    if (this.closed) throw new InvalidArgumentError('the REST client is closed', 'client');
    const method = req.method ?? 'GET';
    const info: RequestInfo = { method, path: req.path, limitId: req.limitId ?? req.path, signed: req.signed === true };
    this.limiter?.assertLimit(info.limitId);
    if (info.signed && !this.signer) {
      throw new InvalidArgumentError(`${method} ${req.path} must be signed but the client has no signer`, 'signed');
    }
    const target = this.target(req.baseUrl);
    const unsigned = this.prepare(req, method, target);
    const retry = req.retry ?? (method === 'GET' || method === 'HEAD');
    const maxAttempts = retry ? this.attempts : 1;
    let resynced = false;

    for (let attempt = 1; ; attempt++) {
      const { response, error } = await this.attempt(target, unsigned, req, info);
      if (!error) return response as RestResponse<T>;

      if (error instanceof TimestampError && info.signed && this.timeSync && !resynced) {
        resynced = true;
        attempt--;
        await this.timeSync.resync().catch((err: unknown) => this.logger.warn({ err }, 'clock resync failed'));
        continue;
      }
      const again = retry && error.retryable && attempt < maxAttempts && !(error instanceof TimestampError);
      if (!again) {
        if (options.returnErrors && response) return response as RestResponse<T>;
        throw error;
      }
      // After a 429 the limiter's pause already holds the next attempt back.
      const delay =
        error instanceof RateLimitedError
          ? this.limiter
            ? 0
            : error.retryAfterMs
          : backoffDelay(attempt - 1, this.backoff, this.random);
      this.logger.debug({ method, path: req.path, attempt, delay, err: error.message }, 'retrying read');
      if (delay > 0) await sleep(this.clock, delay, req.signal);
    }
  }

  /** Closes every keep-alive connection; requests in flight finish first. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }

  private async attempt(target: Target, unsigned: PreparedRequest, req: RestRequest<L>, info: RequestInfo): Promise<Outcome> {
    const permit = this.limiter
      ? await this.limiter.acquire(info.limitId as L, { signal: req.signal, maxWaitMs: req.maxQueueMs })
      : undefined;
    try {
      let prepared: PreparedRequest = { ...unsigned, headers: { ...unsigned.headers } };
      if (info.signed) prepared = await this.signer!.sign(prepared, this.timestamp());
      let response: RestResponse;
      try {
        response = await this.dispatch(target, prepared, req.timeoutMs ?? this.timeoutMs, info, req.signal);
      } catch (err) {
        if (req.signal?.aborted) throw abortReason(req.signal);
        return { error: err as VenuekitError };
      }
      this.readUsage(response.headers);
      const error = errorForResponse(response, info, this.mapError(response, info), this.retryAfterDefaults);
      if (error instanceof RateLimitedError) this.limiter?.pause(error.retryAfterMs, error.message);
      return { response, error };
    } finally {
      permit?.release();
    }
  }

  private async dispatch(
    target: Target,
    prepared: PreparedRequest,
    timeoutMs: number,
    info: RequestInfo,
    callerSignal: AbortSignal | undefined,
  ): Promise<RestResponse> {
    // undici accepts an EventEmitter as its abort signal: far cheaper per request than an AbortController.
    const abort = new EventEmitter();
    let timedOut = false;
    let done = false;
    const cancelTimer = this.clock.schedule(timeoutMs, () =>
      afterPendingIo(() => {
        if (done) return;
        timedOut = true;
        abort.emit('abort');
      }),
    );
    const onCallerAbort = (): void => void abort.emit('abort');
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const res = await target.pool.request({
        method: prepared.method,
        path: prepared.query ? `${prepared.path}?${prepared.query}` : prepared.path,
        headers: prepared.headers,
        body: prepared.body,
        signal: abort,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers as ResponseHeaders, body: parseBody(text, res.headers['content-type']) };
    } catch (err) {
      throw errorForTransport(err, info, timedOut ? timeoutMs : undefined);
    } finally {
      done = true;
      cancelTimer();
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  private prepare(req: RestRequest<L>, method: PreparedRequest['method'], target: Target): PreparedRequest {
    const headers: Record<string, string> = { ...this.headers };
    let body: string | undefined;
    if (typeof req.body === 'string') {
      body = req.body;
    } else if (req.body !== undefined) {
      const json = req.bodyEncoding === 'json';
      body = json ? JSON.stringify(req.body) : encodeParams(req.body);
      headers['content-type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
    }
    if (req.headers) Object.assign(headers, lowerCaseKeys(req.headers));
    return { method, path: target.prefix + req.path, query: encodeParams(req.params), body, headers };
  }

  private target(baseUrl: string | undefined): Target {
    const key = baseUrl ?? '';
    let target = this.targets.get(key);
    if (target) return target;
    const url = baseUrl ? new URL(baseUrl) : this.base;
    let pool = this.pools.get(url.origin);
    if (!pool) {
      pool = new Pool(url.origin, this.poolOptions);
      this.pools.set(url.origin, pool);
    }
    target = { pool, prefix: url.pathname.replace(/\/+$/, '') };
    this.targets.set(key, target);
    return target;
  }

  private timestamp(): number {
    return this.timeSync ? this.timeSync.now() : Date.now();
  }

  private readUsage(headers: ResponseHeaders): void {
    if (!this.usageReader || !this.limiter) return;
    for (const { pool, used } of this.usageReader.readUsage(headers)) this.limiter.observeUsage(pool, used);
  }

  private mapError(response: RestResponse, info: RequestInfo): VenuekitError | undefined {
    if (!this.errorMapper) return undefined;
    try {
      return this.errorMapper.mapError(response, info);
    } catch (err) {
      this.logger.error({ err, method: info.method, path: info.path }, 'error mapper threw; classifying by HTTP status');
      return undefined;
    }
  }
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  if (text.length === 0) return undefined;
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  const first = text.charCodeAt(0);
  if (type?.includes('json') || first === 123 /* { */ || first === 91 /* [ */) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key in headers) out[key.toLowerCase()] = headers[key]!;
  return out;
}
