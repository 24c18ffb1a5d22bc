import type { Engine } from '../engine/index.js';
import type { Authenticated } from './auth.js';
import type { RateLimitInfo } from './exchange-info.js';
import type { Json } from './format.js';
import type { KeyStore } from './keys.js';
import type { Params } from './params.js';
import type { SymbolDirectory } from './symbols.js';

/** What every Binance operation works with, whatever the transport (REST now, the WebSocket API later). */
export interface DialectContext {
  readonly engine: Engine;
  readonly keys: KeyStore;
  readonly symbols: SymbolDirectory;
  /** The exchange's clock (serverTime), in ms. */
  now(): number;
  /** The limits exchangeInfo publishes. */
  rateLimits(): readonly RateLimitInfo[];
}

/**
 * One Binance operation: reads its parameters, acts on the engine, returns the response body or
 * throws a BinanceError. `auth` is set for signed operations.
 */
export type Operation = (ctx: DialectContext, params: Params, auth: Authenticated | null) => Json;
