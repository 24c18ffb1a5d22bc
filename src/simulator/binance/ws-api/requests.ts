import { z } from 'zod';
import { checkTiming, resolveKey, type Authenticated, type Security } from '../auth.js';
import type { DialectContext } from '../context.js';
import { BinanceError, errors } from '../errors.js';
import type { Json } from '../format.js';
import { Params } from '../params.js';
import type { RestRequest, RestResponse } from '../pipeline.js';
import { sortedPayload, verifySignature } from '../signature.js';

/**
 * The WebSocket API's request framing (§8.1) and its signed-request check (§8.2). A WebSocket API
 * request becomes the same `RestRequest` the REST pipeline handles, so rate limits, faults and the
 * operations themselves are shared; only routing (by method name) and authentication (the apiKey
 * parameter and a signature over the sorted parameters) differ.
 */

export type RequestId = number | string | null;

const requestSchema = z.object({
  id: z.union([z.number(), z.string(), z.null()]),
  method: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
});

export type WsRequestFrame = z.infer<typeof requestSchema>;

export function parseFrame(text: string): { ok: true; frame: WsRequestFrame } | { ok: false; id: RequestId; error: BinanceError } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: new BinanceError(-1135, 'Invalid JSON Request') };
  }
  const parsed = requestSchema.safeParse(raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const id = (raw as { id?: unknown } | null)?.id;
  const echo: RequestId = typeof id === 'number' || typeof id === 'string' ? id : null;
  return { ok: false, id: echo, error: errors.mandatory(typeof (raw as { method?: unknown } | null)?.method === 'string' ? 'params' : 'method') };
}

/** A JSON parameter as the string Binance signs and reads: numbers and booleans printed, arrays as JSON. */
function paramText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    // Nested deeper than the stack allows: no parameter of any method is like that.
    throw errors.illegalChars('params', 'plain values or flat arrays');
  }
}

export function paramsOf(frame: WsRequestFrame): Params {
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(frame.params ?? {})) {
    const text = paramText(v);
    if (text !== undefined) values.set(k, text);
  }
  return new Params(values);
}

/** Method names may carry an explicit version: `v3/order.place`. */
export function methodName(method: string): string {
  return method.startsWith('v3/') ? method.slice(3) : method;
}

/**
 * Authenticates a signed WebSocket API request: the `apiKey` parameter, timing, then the HMAC over
 * every parameter but `signature` sorted by name (apiKey included), and the key's permission.
 */
export function authenticateParams(ctx: DialectContext, security: Security, params: Params, now: number): Authenticated {
  const { key, account } = resolveKey(ctx.keys, ctx.engine, params.optional('apiKey'));
  const signature = params.optional('signature');
  if (signature === undefined) throw errors.mandatory('signature');
  const { timestamp, recvWindow } = checkTiming(params, now);
  verifySignature(key.apiSecret, sortedPayload(params.entries()), signature);
  if (security === 'TRADE' && !key.canTrade) throw errors.rejectedKey();
  return { key, account, timestamp, recvWindow };
}

/** The response frame for a pipeline answer; rate-limited answers say when to retry in `error.data`. */
export function responseFrame(id: RequestId, request: RestRequest, response: RestResponse, now: number, withRateLimits: boolean): string {
  const frame: Record<string, Json> = { id, status: response.status };
  if (response.status === 200) {
    frame.result = response.body ?? {};
  } else {
    const body = response.body;
    const error: Record<string, Json> =
      body !== null && typeof body === 'object' && !Array.isArray(body) ? { ...body } : errors.unknown().toJSON();
    const retryAfter = request.state.get('retryAt');
    if (typeof retryAfter === 'number') error.data = { serverTime: now, retryAfter };
    frame.error = error;
  }
  const usage = request.state.get('rateLimits');
  if (withRateLimits && Array.isArray(usage)) frame.rateLimits = usage as Json[];
  return JSON.stringify(frame);
}
