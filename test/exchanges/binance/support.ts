import { readFileSync } from 'node:fs';
import type { ParseResult } from '../../../src/exchanges/binance/parse.js';

/** A sample payload from binance-spot-api.md (or the official docs it cites), as JSON. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as unknown;
}

/** Symbols of the fixtures → pairs, as exchangeInfo would give them. */
export const SYMBOLS: ReadonlyMap<string, string> = new Map([
  ['BTCUSDT', 'BTC-USDT'],
  ['LTCBTC', 'LTC-BTC'],
  ['LTCBNB', 'LTC-BNB'],
  ['ETHBTC', 'ETH-BTC'],
  ['BNBBTC', 'BNB-BTC'],
]);

export function expectOk<T>(result: ParseResult<T>): T {
  if (!result.ok) throw new Error(`expected a value, got ${result.reason}: ${result.error.message}`);
  return result.value;
}

/** A copy of `value` with `patch` applied (undefined deletes a key). */
export function patched(value: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...(value as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}
