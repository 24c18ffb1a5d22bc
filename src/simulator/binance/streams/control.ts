import { z } from 'zod';

/**
 * The control messages of market-stream connections (§5.2): SUBSCRIBE, UNSUBSCRIBE,
 * LIST_SUBSCRIPTIONS, SET_PROPERTY / GET_PROPERTY `combined`, answered `{"result":..,"id":..}` or
 * `{"error":{"code":..,"msg":..},"id":..}` with Binance's codes 0-3.
 */

type Id = number | string | null;

const idSchema = z.union([z.number().int(), z.string().regex(/^[A-Za-z0-9]{1,36}$/), z.null()]);
const requestSchema = z.object({
  method: z.string(),
  params: z.array(z.unknown()).optional(),
  id: z.unknown().optional(),
});

/** What a connection can do for its control messages. */
export interface ControlTarget {
  /** Subscribes to every name, or returns the first name that is no stream (nothing is subscribed then). */
  subscribe(names: readonly string[]): { ok: true } | { ok: false; error: string };
  unsubscribe(names: readonly string[]): void;
  list(): string[];
  combined: boolean;
}

function answer(result: unknown, id: Id): string {
  return JSON.stringify({ result, id });
}

function failure(code: number, msg: string, id: Id): string {
  return JSON.stringify({ error: { code, msg }, id });
}

/** Handles one text message of a market-stream connection and returns the answer to send. */
export function handleControl(text: string, target: ControlTarget): string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return failure(3, `Invalid JSON: ${(error as Error).message}`, null);
  }
  const request = requestSchema.safeParse(raw);
  if (!request.success) return failure(2, 'Invalid request: request must be an object with a method', null);
  const parsedId = idSchema.safeParse(request.data.id ?? null);
  if (!parsedId.success) return failure(2, 'Invalid request: request ID must be an integer, a string of up to 36 letters and digits, or null', null);
  const id = parsedId.data;
  const params = request.data.params ?? [];
  switch (request.data.method) {
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE': {
      if (!params.every((p): p is string => typeof p === 'string')) return failure(2, 'Invalid request: stream names must be strings', id);
      if (request.data.method === 'UNSUBSCRIBE') {
        target.unsubscribe(params);
        return answer(null, id);
      }
      const outcome = target.subscribe(params);
      return outcome.ok ? answer(null, id) : failure(2, `Invalid request: ${outcome.error}`, id);
    }
    case 'LIST_SUBSCRIPTIONS':
      return answer(target.list(), id);
    case 'SET_PROPERTY': {
      if (params[0] !== 'combined') return failure(0, 'Unknown property', id);
      if (typeof params[1] !== 'boolean') return failure(1, 'Invalid value type: expected Boolean', id);
      target.combined = params[1];
      return answer(null, id);
    }
    case 'GET_PROPERTY':
      if (params[0] !== 'combined') return failure(0, 'Unknown property', id);
      return answer(target.combined, id);
    default:
      return failure(2, `Invalid request: unknown method ${JSON.stringify(request.data.method)}`, id);
  }
}
