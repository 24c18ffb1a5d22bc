import type { Account, Engine } from '../engine/index.js';
import { errors } from './errors.js';
import type { ApiKey, KeyStore } from './keys.js';
import type { Params } from './params.js';
import { verifySignature } from './signature.js';

export type Security = 'NONE' | 'TRADE' | 'USER_DATA' | 'USER_STREAM';

/** Who a signed request comes from, and the timing it asked for. */
export interface Authenticated {
  readonly key: ApiKey;
  readonly account: Account;
  /** The request's timestamp, in ms. */
  readonly timestamp: number;
  readonly recvWindow: number;
}

const DEFAULT_RECV_WINDOW = 5000;
const MAX_RECV_WINDOW = 60_000;
/** Timestamps before this are refused outright (2017-01-01). */
const EARLIEST = 1_483_228_800_000;
const RECV_WINDOW = /^\d{1,5}(\.\d{1,3})?$/;

/** The API key named by a request (header on REST, parameter on the WebSocket API), or -2014/-2015. */
export function resolveKey(keys: KeyStore, engine: Engine, apiKey: string | undefined): { key: ApiKey; account: Account } {
  if (apiKey === undefined || !/^[A-Za-z0-9]{1,128}$/.test(apiKey)) throw errors.badApiKeyFormat();
  const key = keys.get(apiKey);
  const account = key ? engine.account(key.accountId) : undefined;
  if (key === undefined || account === undefined) throw errors.rejectedKey();
  return { key, account };
}

/**
 * Reads `timestamp` (ms, or µs when it has 16 digits) and `recvWindow`, and applies Binance's rule:
 * accept only if timestamp < serverTime + 1000 and serverTime - timestamp <= recvWindow.
 */
export function checkTiming(params: Params, now: number): { timestamp: number; recvWindow: number } {
  const raw = params.optional('timestamp');
  if (raw === undefined || !/^\d{1,19}$/.test(raw)) throw errors.mandatory('timestamp');
  let timestamp = Number(raw);
  if (timestamp >= 1e14) timestamp /= 1000;
  const rawWindow = params.optional('recvWindow');
  let recvWindow = DEFAULT_RECV_WINDOW;
  if (rawWindow !== undefined) {
    if (!RECV_WINDOW.test(rawWindow)) throw errors.mandatory('recvWindow');
    recvWindow = Number(rawWindow);
    if (recvWindow > MAX_RECV_WINDOW) throw errors.tooLarge('recvWindow', String(MAX_RECV_WINDOW));
  }
  if (timestamp >= now + 1000) throw errors.timestampAhead();
  if (timestamp < EARLIEST || now - timestamp > recvWindow) throw errors.timestampOutside();
  return { timestamp, recvWindow };
}

/** The second recvWindow check, just before a request reaches the engine (Binance since 2025-06). */
export function recheckRecvWindow(auth: Authenticated, now: number): void {
  if (now - auth.timestamp > auth.recvWindow) throw errors.timestampOutside();
}

/**
 * Authenticates a signed REST request: the key (header), timing, then the HMAC over the raw query
 * string and body, and the key's permission for the endpoint.
 */
export function authenticate(
  keys: KeyStore,
  engine: Engine,
  security: Security,
  apiKey: string | undefined,
  params: Params,
  signed: { payload: string; signature: string | null },
  now: number,
): Authenticated {
  const { key, account } = resolveKey(keys, engine, apiKey);
  params.accept('signature');
  if (signed.signature === null || signed.signature === '') throw errors.mandatory('signature');
  const { timestamp, recvWindow } = checkTiming(params, now);
  verifySignature(key.apiSecret, signed.payload, signed.signature);
  if (security === 'TRADE' && !key.canTrade) throw errors.rejectedKey();
  return { key, account, timestamp, recvWindow };
}
