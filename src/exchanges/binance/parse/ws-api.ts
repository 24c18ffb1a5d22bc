import { z } from 'zod';
import { parseAccountPosition, parseBalanceUpdate, type AccountPosition, type BalanceDelta } from './balances.js';
import { parseExecutionReport, type ExecutionReportUpdates } from './execution-report.js';
import { fail, int, ok, parseSchema, type ParseResult, type SymbolToPair } from './schema.js';

/** One entry of a WebSocket API answer's `rateLimits`: the exchange's count after this request. */
export interface RateLimitUsage {
  readonly rateLimitType: string;
  readonly interval: string;
  readonly intervalNum: number;
  readonly limit: number;
  readonly count: number;
}

export interface WsApiError {
  readonly code: number;
  readonly msg: string;
  /** Rate-limited answers: `{serverTime, retryAfter}` (epoch ms). */
  readonly data?: unknown;
}

/**
 * A WebSocket API frame (reference §8): an answer to a request (`id`, `status`, `result` or
 * `error`), a user data event of a subscription (`{subscriptionId, event}`), or `serverShutdown`
 * (maintenance is coming: reconnect).
 */
export type WsApiMessage =
  | {
      readonly kind: 'response';
      readonly id: number | string | null;
      readonly status: number;
      readonly result?: unknown;
      readonly error?: WsApiError;
      readonly rateLimits: readonly RateLimitUsage[];
    }
  | { readonly kind: 'event'; readonly subscriptionId?: number; readonly eventType: string; readonly event: Readonly<Record<string, unknown>> }
  | { readonly kind: 'serverShutdown'; readonly eventTime?: number };

const rateLimitsSchema = z.array(
  z.object({ rateLimitType: z.string(), interval: z.string(), intervalNum: int, limit: int, count: z.number().nonnegative() }),
);

const responseSchema = z.object({
  id: z.union([z.number(), z.string(), z.null()]),
  status: int,
  result: z.unknown().optional(),
  error: z.object({ code: int, msg: z.string(), data: z.unknown().optional() }).optional(),
  rateLimits: rateLimitsSchema.optional(),
});

const eventEnvelopeSchema = z.object({
  subscriptionId: int.optional(),
  event: z.looseObject({ e: z.string().min(1), E: int.optional() }),
});

export function parseWsApiMessage(message: unknown): ParseResult<WsApiMessage> {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return fail('malformed', 'WebSocket API message', '', 'is not a JSON object', message);
  }
  if ('status' in message && 'id' in message) {
    const parsed = parseSchema(responseSchema, message, 'WebSocket API answer');
    if (!parsed.ok) return parsed;
    const r = parsed.value;
    if (r.status >= 400 && r.error === undefined) return fail('malformed', 'WebSocket API answer', 'error', `is missing on a status ${r.status} answer`, undefined);
    return ok({
      kind: 'response',
      id: r.id,
      status: r.status,
      rateLimits: r.rateLimits ?? [],
      ...('result' in r && { result: r.result }),
      ...(r.error !== undefined && { error: r.error }),
    });
  }
  if ('event' in message) {
    const parsed = parseSchema(eventEnvelopeSchema, message, 'WebSocket API event');
    if (!parsed.ok) return parsed;
    const { subscriptionId, event } = parsed.value;
    if (event.e === 'serverShutdown') return ok({ kind: 'serverShutdown', ...(event.E !== undefined && { eventTime: event.E }) });
    return ok({ kind: 'event', eventType: event.e, event, ...(subscriptionId !== undefined && { subscriptionId }) });
  }
  return fail('malformed', 'WebSocket API message', '', 'is neither an answer (id, status) nor an event', message);
}

/** A user data stream event (reference §7), parsed. Events venuekit does not use are `ignored` (log at debug). */
export type UserDataEvent =
  | ({ readonly type: 'executionReport' } & ExecutionReportUpdates)
  | { readonly type: 'outboundAccountPosition'; readonly position: AccountPosition }
  | { readonly type: 'balanceUpdate'; readonly balance: BalanceDelta }
  /** The subscription ended (unsubscribe, logout, expiry): subscribe again. */
  | { readonly type: 'eventStreamTerminated'; readonly eventTime?: number }
  | { readonly type: 'ignored'; readonly eventType: string };

const terminatedSchema = z.object({ e: z.literal('eventStreamTerminated'), E: int.optional() });

/** The `event` of a `{subscriptionId, event}` frame. */
export function parseUserDataEvent(event: unknown, symbols: SymbolToPair): ParseResult<UserDataEvent> {
  const type = typeof event === 'object' && event !== null ? (event as { e?: unknown }).e : undefined;
  switch (type) {
    case 'executionReport': {
      const r = parseExecutionReport(event, symbols);
      return r.ok ? ok({ type, ...r.value }) : r;
    }
    case 'outboundAccountPosition': {
      const r = parseAccountPosition(event);
      return r.ok ? ok({ type, position: r.value }) : r;
    }
    case 'balanceUpdate': {
      const r = parseBalanceUpdate(event);
      return r.ok ? ok({ type, balance: r.value }) : r;
    }
    case 'eventStreamTerminated': {
      const r = parseSchema(terminatedSchema, event, 'eventStreamTerminated');
      return r.ok ? ok({ type, ...(r.value.E !== undefined && { eventTime: r.value.E }) }) : r;
    }
    default:
      if (typeof type !== 'string' || type.length === 0) return fail('malformed', 'user data event', 'e', 'is not an event type', type);
      return ok({ type: 'ignored', eventType: type });
  }
}

const subscribeResultSchema = z.object({ subscriptionId: int.nonnegative() });

/** The `result` of `userDataStream.subscribe.signature` (or `.subscribe`): the subscription's id. */
export function parseSubscribeResult(result: unknown): ParseResult<number> {
  const parsed = parseSchema(subscribeResultSchema, result, 'userDataStream.subscribe result');
  return parsed.ok ? ok(parsed.value.subscriptionId) : parsed;
}

/** The `result` of `session.subscriptions`: the ids active on this connection. */
export function parseSessionSubscriptions(result: unknown): ParseResult<readonly number[]> {
  const parsed = parseSchema(z.array(subscribeResultSchema), result, 'session.subscriptions result');
  return parsed.ok ? ok(parsed.value.map((s) => s.subscriptionId)) : parsed;
}
