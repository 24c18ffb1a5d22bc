import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidArgumentError } from '../../core/errors.js';
import type { PreparedRequest, RequestSigner } from '../../net/rest-types.js';
import { API_KEY_HEADER, DEFAULT_RECV_WINDOW_MS, MAX_RECV_WINDOW_MS } from './constants.js';

/**
 * Binance HMAC-SHA256 signing (reference §1.3 for REST, §8.2 for the WebSocket API). The secret is
 * held only as a crypto KeyObject: it is in no property, so it cannot reach JSON, util.inspect, a
 * log line or an error message.
 */

/** Lower-case hex HMAC-SHA256 of the UTF-8 bytes of `payload`. */
export function hmacSha256Hex(key: KeyObject | string, payload: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('hex');
}

/**
 * What a REST signature covers: the query string exactly as sent, followed with no separator by
 * the raw body. Both are already percent-encoded (src/net encodes every parameter), which is what
 * Binance requires since 2026-01-15.
 */
export function restSignaturePayload(query: string, body: string | undefined): string {
  return query + (body ?? '');
}

/** A WebSocket API parameter value: decimals go as strings, never as JS numbers. */
export type WsParamValue = string | number | boolean;
export type WsParams = Readonly<Record<string, WsParamValue | undefined>>;

/**
 * What a WebSocket API signature covers: every parameter but `signature` (apiKey included), sorted
 * by name, as `name=value` joined by `&`, not percent-encoded. Undefined values are left out, as
 * JSON.stringify leaves them out of the request.
 */
export function wsSignaturePayload(params: WsParams): string {
  const names = Object.keys(params)
    .filter((name) => name !== 'signature' && params[name] !== undefined)
    .sort();
  return names.map((name) => `${name}=${wsParamText(name, params[name])}`).join('&');
}

function wsParamText(name: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new InvalidArgumentError(`WebSocket API parameter "${name}" must be a string, a finite number or a boolean`, name);
}

/** Whether an encoded `k=v&...` string has a parameter named `name`. */
function hasParam(encoded: string | undefined, name: string): boolean {
  if (!encoded) return false;
  const prefix = `${name}=`;
  return encoded.split('&').some((pair) => pair === name || pair.startsWith(prefix));
}

function checkTimestamp(timestampMs: number): number {
  if (!Number.isFinite(timestampMs) || timestampMs <= 0) {
    throw new InvalidArgumentError(`signing needs a positive timestamp in milliseconds, got ${timestampMs}`, 'timestamp');
  }
  return Math.floor(timestampMs);
}

export interface BinanceAuthOptions {
  /** Sent with every signed request unless the request has its own. Default 5000; at most 60000. */
  recvWindowMs?: number;
}

/** Signed WebSocket API parameters, ready to put in a request's `params`. */
export type SignedWsParams = Readonly<Record<string, WsParamValue>> & { readonly signature: string };

export class BinanceAuth implements RequestSigner {
  readonly recvWindowMs: number;
  // Private fields: neither is enumerable, so spreading or serializing the object shows neither.
  readonly #apiKey: string;
  readonly #key: KeyObject;

  constructor(apiKey: string, secret: string, options: BinanceAuthOptions = {}) {
    if (typeof apiKey !== 'string' || apiKey.length === 0) throw new InvalidArgumentError('Binance API key is empty', 'apiKey');
    if (typeof secret !== 'string' || secret.length === 0) throw new InvalidArgumentError('Binance API secret is empty', 'secret');
    const recvWindowMs = options.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS;
    if (!(recvWindowMs > 0 && recvWindowMs <= MAX_RECV_WINDOW_MS)) {
      throw new InvalidArgumentError(`recvWindow must be in (0, ${MAX_RECV_WINDOW_MS}] ms, got ${recvWindowMs}`, 'recvWindowMs');
    }
    this.#apiKey = apiKey;
    this.recvWindowMs = recvWindowMs;
    this.#key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  get apiKey(): string {
    return this.#apiKey;
  }

  /** Lower-case hex HMAC-SHA256 of `payload` with this key's secret. */
  signature(payload: string): string {
    return hmacSha256Hex(this.#key, payload);
  }

  /**
   * RequestSigner: appends `recvWindow` (unless the request has one) and `timestamp` to the query,
   * signs the query as it now stands plus the body, appends `signature` last, and sets the API key
   * header. Refuses a request that already carries `timestamp` or `signature` (it would be sent
   * twice, and Binance answers -1101).
   */
  sign(request: PreparedRequest, timestampMs: number): PreparedRequest {
    const timestamp = checkTimestamp(timestampMs);
    for (const name of ['timestamp', 'signature']) {
      if (hasParam(request.query, name) || hasParam(request.body, name)) {
        throw new InvalidArgumentError(`${request.method} ${request.path}: "${name}" is added by the signer and must not be sent by the caller`, name);
      }
    }
    const hasRecvWindow = hasParam(request.query, 'recvWindow') || hasParam(request.body, 'recvWindow');
    const timing = hasRecvWindow ? `timestamp=${timestamp}` : `recvWindow=${this.recvWindowMs}&timestamp=${timestamp}`;
    const query = request.query ? `${request.query}&${timing}` : timing;
    const signature = this.signature(restSignaturePayload(query, request.body));
    return {
      method: request.method,
      path: request.path,
      query: `${query}&signature=${signature}`,
      body: request.body,
      headers: { ...request.headers, [API_KEY_HEADER]: this.apiKey },
    };
  }

  /**
   * Signs WebSocket API parameters: adds `apiKey`, `timestamp` and `recvWindow` (unless given),
   * then `signature` over all of them sorted by name. Sign right before sending: the timestamp
   * starts the recvWindow.
   */
  signWsParams(params: WsParams, timestampMs: number): SignedWsParams {
    const timestamp = checkTimestamp(timestampMs);
    if (params.signature !== undefined || params.timestamp !== undefined) {
      throw new InvalidArgumentError('WebSocket API parameters must not carry "signature" or "timestamp": the signer adds them', 'params');
    }
    const all: Record<string, WsParamValue> = {};
    for (const [name, value] of Object.entries(params)) if (value !== undefined) all[name] = value;
    all.apiKey = this.apiKey;
    all.timestamp = timestamp;
    all.recvWindow ??= this.recvWindowMs;
    return { ...all, signature: this.signature(wsSignaturePayload(all)) };
  }

  /** The params of `userDataStream.subscribe.signature`: apiKey, recvWindow, timestamp, signature. */
  userDataStreamSubscribeParams(timestampMs: number): SignedWsParams {
    return this.signWsParams({}, timestampMs);
  }

  /** What JSON and logs may show: the key's first characters, never the secret. */
  toJSON(): Record<string, unknown> {
    return { apiKey: maskKey(this.apiKey), secret: '[redacted]', recvWindowMs: this.recvWindowMs };
  }

  [inspect.custom](): string {
    return `BinanceAuth { apiKey: '${maskKey(this.apiKey)}', secret: [redacted], recvWindowMs: ${this.recvWindowMs} }`;
  }

  toString(): string {
    return this[inspect.custom]();
  }
}

function maskKey(apiKey: string): string {
  return apiKey.length > 8 ? `${apiKey.slice(0, 4)}…` : '…';
}
