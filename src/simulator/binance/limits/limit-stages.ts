import type { Engine } from '../../engine/index.js';
import type { UpgradeCheck } from '../../ws/socket-group.js';
import type { Pipeline, RestRequest, RestResponse } from '../pipeline.js';
import type { Params } from '../params.js';
import type { Route } from '../routes.js';
import { intervalTag, type LimitUsage, type RateLimiter, type Refusal } from './rate-limiter.js';

/**
 * Puts the rate limiter in front of the operations of a pipeline (REST or WebSocket API): weight
 * and raw requests after routing, new-order counts once the account is known, and on the way out
 * the usage headers (`X-MBX-USED-WEIGHT-1M`, `X-MBX-ORDER-COUNT-10S`/`-1D`) and, for the WebSocket
 * API, the `rateLimits` array.
 */
export function installRateLimits(pipeline: Pipeline, limiter: RateLimiter): void {
  pipeline.use('limits', (req, next) => weightStage(limiter, req, next), { after: 'route' });
  pipeline.use('limits.orders', (req, next) => orderStage(limiter, req, next), { after: 'auth' });
}

/**
 * Keeps each account's unfilled-order count (the ORDERS limits) from the engine's executions,
 * whatever path an order came by: every order the engine accepts counts one, and gives it back on
 * its first fill, as taker or maker (Binance's unfilled order count; Binance may give back more for
 * a maker's first fill, the simulator gives back one).
 */
export function countOrders(engine: Engine, limiter: RateLimiter): () => void {
  return engine.subscribe((tx) => {
    for (const e of tx.orders) {
      if (e.execution === 'NEW') limiter.countOrder(e.order.accountId);
      else if (e.execution === 'TRADE' && e.trade !== null && e.executedLots === e.trade.lots) limiter.uncountOrder(e.order.accountId);
    }
  });
}

function apiKeyOf(req: RestRequest): string | undefined {
  const header = req.headers['x-mbx-apikey'];
  return Array.isArray(header) ? header[0] : header;
}

async function weightStage(limiter: RateLimiter, req: RestRequest, next: () => Promise<RestResponse>): Promise<RestResponse> {
  const route = req.route as Route;
  const client = limiter.clientKey(req.ip, apiKeyOf(req));
  let weight = 1;
  try {
    weight = route.weight(req.params as Params);
  } catch {
    // A parameter the weight depends on is malformed: the endpoint refuses it; charge the base weight.
  }
  const refusal = limiter.admit(client, weight);
  const response = refusal !== null ? refused(req, refusal) : await next();
  if (refusal === null && response.status === 200 && route.successWeight !== undefined) limiter.refund(client, weight - route.successWeight);
  const accountId = route.placesOrder && req.auth !== null ? req.auth.account.id : null;
  const usage = limiter.usage(client, accountId);
  req.state.set('rateLimits', usage);
  response.headers = { ...response.headers, ...usageHeaders(usage, accountId) };
  if (refusal !== null) response.headers['retry-after'] = String(limiter.retryAfterSeconds(refusal));
  return response;
}

async function orderStage(limiter: RateLimiter, req: RestRequest, next: () => Promise<RestResponse>): Promise<RestResponse> {
  const route = req.route as Route;
  if (!route.placesOrder || req.auth === null) return next();
  const refusal = limiter.admitOrder(req.auth.account.id);
  if (refusal === null) return next();
  const response = refused(req, refusal);
  response.headers['retry-after'] = String(limiter.retryAfterSeconds(refusal));
  return response;
}

function refused(req: RestRequest, refusal: Refusal): RestResponse {
  req.state.set('retryAt', refusal.retryAt);
  return { status: refusal.status, body: { code: refusal.code, msg: refusal.msg }, headers: {} };
}

/** `X-MBX-USED-WEIGHT-<n><unit>` for each weight limit and `X-MBX-ORDER-COUNT-<n><unit>` for each order limit. */
function usageHeaders(usage: readonly LimitUsage[], accountId: number | null): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const u of usage) {
    if (u.rateLimitType === 'REQUEST_WEIGHT') {
      headers[`x-mbx-used-weight-${intervalTag(u).toLowerCase()}`] = String(u.count);
      headers['x-mbx-used-weight'] ??= String(u.count);
    } else if (u.rateLimitType === 'ORDERS' && accountId !== null) {
      headers[`x-mbx-order-count-${intervalTag(u).toLowerCase()}`] = String(u.count);
    }
  }
  return headers;
}

/** Connecting to the WebSocket API costs weight 2; a banned or waiting client is refused the upgrade. */
export function upgradeAdmission(limiter: RateLimiter): UpgradeCheck {
  return (_request, ip) => {
    const refusal = limiter.admit(limiter.clientKey(ip, undefined), 2);
    if (refusal === null) return null;
    return { status: refusal.status, headers: { 'Retry-After': String(limiter.retryAfterSeconds(refusal)), 'Content-Type': 'application/json' }, body: JSON.stringify({ code: refusal.code, msg: refusal.msg }) };
  };
}
