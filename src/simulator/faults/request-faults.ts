import type { Authenticated } from '../binance/auth.js';
import type { Pipeline, RestRequest, RestResponse } from '../binance/pipeline.js';
import type { Route } from '../binance/routes.js';
import type { FaultRegistry, RequestOccasion } from './registry.js';
import type { FaultSpec } from './specs.js';

/** Order queries: the first one after a held create lets it through (answered first, so it finds nothing). */
const ORDER_QUERIES: ReadonlySet<string> = new Set(['order.status', 'openOrders.status', 'allOrders']);

/** Tells when an account's user data events handed out so far have been written. */
export interface EventsWritten {
  idle(accountId: number): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Held {
  readonly run: () => Promise<unknown>;
  timer: NodeJS.Timeout | null;
}

/**
 * Requests whose error already went out but which have not reached the engine yet (`execute:
 * 'after-first-query'`). Each waits for its account's next order query, or at the latest until
 * shortly before its recvWindow ends, so it always executes inside the window.
 */
export class HeldRequests {
  private readonly held = new Map<number, Held[]>();

  constructor(private readonly now: () => number) {}

  hold(auth: Authenticated, run: () => Promise<unknown>): void {
    const accountId = auth.account.id;
    const margin = Math.min(50, auth.recvWindow / 4);
    const wait = Math.max(0, auth.timestamp + auth.recvWindow - margin - this.now());
    const entry: Held = { run, timer: null };
    entry.timer = setTimeout(() => this.fire(accountId, entry), wait);
    let list = this.held.get(accountId);
    if (list === undefined) this.held.set(accountId, (list = []));
    list.push(entry);
  }

  /** Lets every held request of the account reach the engine now, oldest first. */
  release(accountId: number): void {
    const list = this.held.get(accountId);
    if (list === undefined) return;
    this.held.delete(accountId);
    for (const entry of list) this.run(entry);
  }

  get size(): number {
    let n = 0;
    for (const list of this.held.values()) n += list.length;
    return n;
  }

  /** Forgets every held request (the exchange shuts down before they arrive). */
  close(): void {
    for (const list of this.held.values()) for (const e of list) if (e.timer !== null) clearTimeout(e.timer);
    this.held.clear();
  }

  private fire(accountId: number, entry: Held): void {
    const list = this.held.get(accountId);
    if (list === undefined || !list.includes(entry)) return;
    list.splice(list.indexOf(entry), 1);
    if (list.length === 0) this.held.delete(accountId);
    this.run(entry);
  }

  private run(entry: Held): void {
    if (entry.timer !== null) clearTimeout(entry.timer);
    entry.timer = null;
    void entry.run().catch(() => undefined);
  }
}

const TIMEOUT_MSG = 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.';

/** The answer a client gets instead of the real one. */
function failureResponse(spec: Extract<FaultSpec, { kind: 'server-error' | 'timeout' }>): RestResponse {
  if (spec.kind === 'timeout') return { status: 408, body: { code: -1007, msg: TIMEOUT_MSG }, headers: {} };
  const status = spec.status ?? 500;
  switch (status) {
    case 500:
      return { status, body: { code: -1000, msg: 'An unknown error occurred while processing the request.' }, headers: {} };
    case 503:
      return { status, body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' }, headers: {} };
    default:
      return { status, body: `<html><body><h1>${status} ${status === 502 ? 'Bad Gateway' : 'Gateway Timeout'}</h1></body></html>`, headers: { 'content-type': 'text/html' } };
  }
}

function occasion(req: RestRequest, accountId: number | null): RequestOccasion {
  const route = req.route as Route;
  return { name: route.name, rest: req.state.get('transport') === 'ws-api' ? null : `${req.method} ${req.path}`, accountId };
}

/**
 * Puts request faults into a pipeline (REST or WebSocket API): latency on the way in before the
 * request is authenticated, and after authentication the faults that may depend on the account —
 * lost answers (5xx, -1007) with or without execution, answers held until the user data events are
 * out, latency on the way back.
 */
export function installRequestFaults(pipeline: Pipeline, registry: FaultRegistry, held: HeldRequests, events: EventsWritten): void {
  const names = pipeline.names();
  pipeline.use(
    'faults.incoming',
    async (req, next) => {
      let wait = 0;
      for (const spec of registry.forIncoming(occasion(req, null))) if (spec.kind === 'latency') wait += spec.ms + registry.jitter(spec.jitterMs ?? 0);
      if (wait > 0) await sleep(wait);
      return next();
    },
    { after: names.includes('limits') ? 'limits' : 'route' },
  );
  pipeline.use('faults', (req, next) => faultStage(registry, held, events, req, next), { after: names.includes('limits.orders') ? 'limits.orders' : 'auth' });
}

async function faultStage(registry: FaultRegistry, held: HeldRequests, events: EventsWritten, req: RestRequest, next: () => Promise<RestResponse>): Promise<RestResponse> {
  const auth = req.auth;
  const accountId = auth === null ? null : auth.account.id;
  const releases = accountId !== null && ORDER_QUERIES.has((req.route as Route).name);
  const specs = registry.forRequest(occasion(req, accountId));
  let before = 0;
  let after = 0;
  let failure: Extract<FaultSpec, { kind: 'server-error' | 'timeout' }> | undefined;
  let eventsFirst: number | undefined;
  for (const spec of specs) {
    if (spec.kind === 'latency') {
      const ms = spec.ms + registry.jitter(spec.jitterMs ?? 0);
      if ((spec.phase ?? 'request') === 'request') before += ms;
      else after += ms;
    } else if (spec.kind === 'server-error' || spec.kind === 'timeout') {
      failure ??= spec;
    } else if (spec.kind === 'events-before-response') {
      eventsFirst = Math.max(eventsFirst ?? 0, spec.ms ?? 10);
    }
  }
  if (before > 0) await sleep(before);
  let response: RestResponse;
  if (failure !== undefined) {
    const execute = failure.execute ?? (failure.kind === 'timeout' ? 'before-response' : 'never');
    if (execute === 'after-first-query' && auth !== null) held.hold(auth, next);
    else if (execute !== 'never') await next();
    response = failureResponse(failure);
  } else {
    response = await next();
    if (eventsFirst !== undefined && accountId !== null) {
      await events.idle(accountId);
      await sleep(eventsFirst);
    }
  }
  if (releases) held.release(accountId);
  if (after > 0) await sleep(after);
  return response;
}
