import type { UserEventType } from './hooks.js';

/**
 * The faults a test can inject, as plain data. Request faults name an endpoint: a WebSocket API
 * method name (`order.place`, `order.status`, ... — it matches the REST twin too), a REST endpoint
 * (`POST /api/v3/order`, REST only), or `*`. WebSocket faults name a stream: a market stream
 * (`btcusdt@depth@100ms`), `market` (every market stream), `userData` (user data events) or `ws-api`
 * (WebSocket API answers).
 */

/** When a request whose answer is lost still reaches the engine. */
export type Execute =
  /** It executes, then the client gets the error instead of the answer. */
  | 'before-response'
  /**
   * The client gets the error at once; the request reaches the engine only after the account's
   * first order query that follows (answered first, so it finds nothing), or else just before its
   * recvWindow runs out, so it is never refused for its timestamp.
   */
  | 'after-first-query'
  /** It never executes. */
  | 'never';

export interface FaultScope {
  /** Affects this many matching occasions (requests, messages, flushes), then ends. Default: until cleared. */
  times?: number;
  /** Chance that a matching occasion is affected, drawn from the fault seed. Default 1. */
  probability?: number;
  /** Ends this many ms after it is injected. Default: until cleared. */
  durationMs?: number;
  /** Only this account's requests and user data events. Default: everyone's. */
  accountId?: number;
}

export type EndpointSelector = string | readonly string[];

export type FaultSpec =
  /** The request waits `ms` (+ up to `jitterMs`): before it is checked and executed (`request`, the default) or before it is answered (`response`). */
  | (FaultScope & { kind: 'latency'; endpoint: EndpointSelector; ms: number; jitterMs?: number; phase?: 'request' | 'response' })
  /** An HTTP 5xx answer (500 with -1000, 503 with -1001, 502/504 with a proxy's text body). Default execute: `never`. */
  | (FaultScope & { kind: 'server-error'; endpoint: EndpointSelector; status?: 500 | 502 | 503 | 504; execute?: Execute })
  /** Binance's -1007 "Timeout waiting for response from backend server" (HTTP 408). Default execute: `before-response`. */
  | (FaultScope & { kind: 'timeout'; endpoint: EndpointSelector; execute?: Execute })
  /** The answer waits until the account's user data events of this request have been written, plus `ms` (default 10). */
  | (FaultScope & { kind: 'events-before-response'; endpoint: EndpointSelector; ms?: number })
  /** When the next matching message is about to be sent, its connection is dropped (`drop`, no close frame) or goes half-open (`half-open`: silent, never closed). */
  | (FaultScope & { kind: 'disconnect'; stream: string; mode?: 'drop' | 'half-open' })
  /** Depth diffs of the stream are held back (they resume as one diff covering the stall). */
  | (FaultScope & { kind: 'stall'; stream: string })
  /** Depth diffs of the stream are lost: subscribers see a sequence gap. */
  | (FaultScope & { kind: 'gap'; stream: string })
  /** User data events are lost. */
  | (FaultScope & { kind: 'drop'; stream: 'userData'; events?: readonly UserEventType[] })
  /** User data events are sent twice (or `copies` + 1 times). */
  | (FaultScope & { kind: 'duplicate'; stream: 'userData'; copies?: number; events?: readonly UserEventType[] })
  /** User data events are sent `ms` later (later events without the fault overtake them). */
  | (FaultScope & { kind: 'delay'; stream: 'userData'; ms: number; events?: readonly UserEventType[] })
  /** User data events are held for `windowMs` (default 50) and then sent in a shuffled order. */
  | (FaultScope & { kind: 'reorder'; stream: 'userData'; windowMs?: number; events?: readonly UserEventType[] });

export type FaultKind = FaultSpec['kind'];

export const REQUEST_KINDS: ReadonlySet<FaultKind> = new Set(['latency', 'server-error', 'timeout', 'events-before-response']);

/** Throws a RangeError naming what is wrong with a spec, so a mistyped fault fails the test at once. */
export function checkSpec(spec: FaultSpec): void {
  const fail = (what: string) => {
    throw new RangeError(`fault ${JSON.stringify(spec)}: ${what}`);
  };
  if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) fail('times must be a positive integer');
  if (spec.probability !== undefined && !(spec.probability > 0 && spec.probability <= 1)) fail('probability must be in (0, 1]');
  if (spec.durationMs !== undefined && !(spec.durationMs > 0)) fail('durationMs must be positive');
  const nonNegative = (v: number | undefined, name: string) => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) fail(`${name} must be a non-negative number`);
  };
  switch (spec.kind) {
    case 'latency':
      nonNegative(spec.ms, 'ms');
      nonNegative(spec.jitterMs, 'jitterMs');
      break;
    case 'events-before-response':
      nonNegative(spec.ms, 'ms');
      break;
    case 'delay':
      nonNegative(spec.ms, 'ms');
      break;
    case 'reorder':
      nonNegative(spec.windowMs, 'windowMs');
      break;
    case 'duplicate':
      if (spec.copies !== undefined && (!Number.isInteger(spec.copies) || spec.copies < 1)) fail('copies must be a positive integer');
      break;
    default:
      break;
  }
  if ('endpoint' in spec) {
    const list = typeof spec.endpoint === 'string' ? [spec.endpoint] : spec.endpoint;
    if (list.length === 0 || list.some((e) => e.length === 0)) fail('endpoint must name at least one endpoint');
  }
  if ('stream' in spec && spec.stream.length === 0) fail('stream must be named');
}
