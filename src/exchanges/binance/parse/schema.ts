import { z } from 'zod';
import { toDecimal, type Decimal } from '../../../core/decimal.js';
import { MalformedDataError, parseWith } from '../../../core/json.js';
import type { BookEntry } from '../../../core/book/types.js';

/**
 * The shared vocabulary of Binance message parsing. Every parser takes untrusted JSON and returns a
 * ParseResult: the value, or a failure naming the message, the field and the value found, which the
 * caller logs and skips. No parser throws on bad input.
 */

/**
 * Why a message was not turned into a value:
 * - `malformed`: not what Binance sends (a missing field, a number where a decimal string belongs);
 * - `unknown_symbol`: well formed, for a symbol outside the symbol map (another market of the account);
 * - `unsupported`: well formed, for something venuekit does not handle (a stop order, a non-ASCII asset).
 */
export type ParseFailureReason = 'malformed' | 'unknown_symbol' | 'unsupported';

export interface ParseFailure {
  readonly ok: false;
  readonly reason: ParseFailureReason;
  readonly error: MalformedDataError;
}

export interface ParseSuccess<T> {
  readonly ok: true;
  readonly value: T;
}

export type ParseResult<T> = ParseSuccess<T> | ParseFailure;

/** Binance symbol → venuekit trading pair (`BTCUSDT` → `BTC-USDT`), built from exchangeInfo. */
export type SymbolToPair = ReadonlyMap<string, string>;

export function ok<T>(value: T): ParseSuccess<T> {
  return { ok: true, value };
}

export function fail(reason: ParseFailureReason, what: string, field: string, detail: string, value: unknown): ParseFailure {
  return { ok: false, reason, error: new MalformedDataError(what, field, detail, value) };
}

export function unknownSymbol(what: string, symbol: string): ParseFailure {
  return fail('unknown_symbol', what, 's', 'is not a symbol of the symbol map', symbol);
}

/** Validates `data` against `schema`; the first problem becomes a failure naming its field. */
export function parseSchema<S extends z.ZodType>(schema: S, data: unknown, what: string): ParseResult<z.output<S>> {
  try {
    return ok(parseWith(schema, data, what));
  } catch (err) {
    if (err instanceof MalformedDataError) return { ok: false, reason: 'malformed', error: err };
    return fail('malformed', what, '', `could not be read (${err instanceof Error ? err.message : String(err)})`, data);
  }
}

/** The trading pair of `symbol`, or an unknown-symbol failure. */
export function pairOf(symbols: SymbolToPair, symbol: string, what: string): ParseResult<string> {
  const pair = symbols.get(symbol);
  return pair === undefined ? unknownSymbol(what, symbol) : ok(pair);
}

/** A decimal as Binance sends it: a string, parsed exactly. A JSON number is refused (a float may already have lost digits). */
export const decimalString = z.string().transform((value, ctx): Decimal => {
  try {
    return toDecimal(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a decimal string' });
    return z.NEVER;
  }
});

/** A price, amount, fee or balance: a decimal string that is not negative. */
export const amountString = decimalString.refine((d) => !d.isNegative(), { message: 'is negative' });

/** An integer id or a millisecond timestamp (a safe integer). */
export const int = z.int();

export const side = z.enum(['BUY', 'SELL']);

/**
 * Book levels: `[[price, amount], ...]` as strings, kept exactly as received (the array is not
 * copied: a 5000-level snapshot costs one pass). The book itself checks that each string is a
 * plain positive decimal when it applies the level.
 */
export const bookLevels = z.custom<readonly BookEntry[]>((value) => {
  if (!Array.isArray(value)) return false;
  for (const level of value as unknown[]) {
    if (!Array.isArray(level) || level.length < 2 || typeof level[0] !== 'string' || typeof level[1] !== 'string') return false;
  }
  return true;
}, 'is not a list of [price, amount] string pairs');
