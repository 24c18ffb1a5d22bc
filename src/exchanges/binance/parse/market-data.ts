import { z } from 'zod';
import type { BookDiff, BookSnapshot, BookTrade } from '../../../core/book/types.js';
import { bookLevels, fail, int, ok, pairOf, parseSchema, type ParseResult, type SymbolToPair } from './schema.js';

/** A diff depth event (`<symbol>@depth@100ms`), for one pair. */
export interface DepthUpdate {
  readonly symbol: string;
  readonly tradingPair: string;
  readonly eventTime: number;
  /** `U..u`, `b`, `a`: prices and amounts are the exchange's strings, untouched. */
  readonly diff: BookDiff;
}

/** A public trade (`<symbol>@trade`). */
export interface PublicTrade {
  readonly symbol: string;
  readonly tradingPair: string;
  readonly eventTime: number;
  readonly trade: BookTrade;
}

const snapshotSchema = z.object({ lastUpdateId: int, bids: bookLevels, asks: bookLevels });

/** `GET /api/v3/depth` → a book snapshot at `lastUpdateId`. */
export function parseDepthSnapshot(body: unknown): ParseResult<BookSnapshot> {
  const parsed = parseSchema(snapshotSchema, body, 'depth snapshot');
  if (!parsed.ok) return parsed;
  return ok({ updateId: parsed.value.lastUpdateId, bids: parsed.value.bids, asks: parsed.value.asks });
}

const depthUpdateSchema = z.object({
  e: z.literal('depthUpdate'),
  E: int,
  s: z.string().min(1),
  U: int,
  u: int,
  b: bookLevels,
  a: bookLevels,
});

export function parseDepthUpdate(event: unknown, symbols: SymbolToPair): ParseResult<DepthUpdate> {
  const parsed = parseSchema(depthUpdateSchema, event, 'depthUpdate');
  if (!parsed.ok) return parsed;
  const d = parsed.value;
  if (d.U > d.u) return fail('malformed', 'depthUpdate', 'U', `is after u (${d.u})`, d.U);
  const pair = pairOf(symbols, d.s, 'depthUpdate');
  if (!pair.ok) return pair;
  return ok({ symbol: d.s, tradingPair: pair.value, eventTime: d.E, diff: { firstUpdateId: d.U, updateId: d.u, bids: d.b, asks: d.a } });
}

const tradeSchema = z.object({
  e: z.literal('trade'),
  E: int,
  s: z.string().min(1),
  t: int,
  p: z.string().min(1),
  q: z.string().min(1),
  T: int,
  m: z.boolean(),
});

export function parsePublicTrade(event: unknown, symbols: SymbolToPair): ParseResult<PublicTrade> {
  const parsed = parseSchema(tradeSchema, event, 'trade');
  if (!parsed.ok) return parsed;
  const t = parsed.value;
  const pair = pairOf(symbols, t.s, 'trade');
  if (!pair.ok) return pair;
  return ok({
    symbol: t.s,
    tradingPair: pair.value,
    eventTime: t.E,
    trade: { tradeId: String(t.t), price: t.p, amount: t.q, timestamp: t.T, buyerIsMaker: t.m },
  });
}

/**
 * What a market stream frame is (reference §5): an answer to a control message, an error, a
 * `serverShutdown` notice (reconnect now), or stream data, unwrapped from the combined envelope
 * `{stream, data}` when it has one. `eventType` is the payload's `e` (depthUpdate, trade...).
 */
export type StreamMessage =
  | { readonly kind: 'result'; readonly id: number | string | null; readonly result: unknown }
  | { readonly kind: 'error'; readonly id?: number | string | null; readonly code: number; readonly msg: string }
  | { readonly kind: 'serverShutdown'; readonly eventTime?: number }
  | { readonly kind: 'data'; readonly stream?: string; readonly eventType?: string; readonly data: Record<string, unknown> };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const idSchema = z.union([z.number(), z.string(), z.null()]);

export function parseStreamMessage(message: unknown): ParseResult<StreamMessage> {
  if (!isRecord(message)) return fail('malformed', 'market stream message', '', 'is not a JSON object', message);
  if ('result' in message && 'id' in message) {
    const id = idSchema.safeParse(message.id);
    if (!id.success) return fail('malformed', 'market stream answer', 'id', 'is not a number, a string or null', message.id);
    return ok({ kind: 'result', id: id.data, result: message.result });
  }
  if (typeof message.code === 'number' && typeof message.msg === 'string') {
    const id = idSchema.safeParse(message.id);
    return ok({ kind: 'error', code: message.code, msg: message.msg, ...(id.success && { id: id.data }) });
  }
  let stream: string | undefined;
  let data: unknown = message;
  if (typeof message.stream === 'string' && 'data' in message) {
    stream = message.stream;
    data = message.data;
  }
  if (!isRecord(data)) return fail('malformed', 'market stream message', 'data', 'is not a JSON object', data);
  const eventType = typeof data.e === 'string' ? data.e : undefined;
  if (eventType === 'serverShutdown') return ok({ kind: 'serverShutdown', ...(typeof data.E === 'number' && { eventTime: data.E }) });
  return ok({ kind: 'data', data, ...(stream !== undefined && { stream }), ...(eventType !== undefined && { eventType }) });
}
