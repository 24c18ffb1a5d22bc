import type { ReportedUsage, UsageReader } from '../../../net/rest-types.js';
import { usageFromHeaders } from '../../../net/usage-headers.js';
import type { WsUsageReader } from '../../../net/ws-requests.js';
import { RATE_POOLS, USAGE_HEADER_POOLS } from '../constants.js';

/** REST: X-MBX-USED-WEIGHT-1M and X-MBX-ORDER-COUNT-10S/1D into the limiter's pools. */
export const binanceUsageReader: UsageReader = usageFromHeaders(USAGE_HEADER_POOLS);

/** The pool a `rateLimits` entry counts for, by type, interval and interval count. */
const RATE_LIMIT_POOLS: Readonly<Record<string, string>> = {
  'REQUEST_WEIGHT MINUTE 1': RATE_POOLS.requestWeight,
  'ORDERS SECOND 10': RATE_POOLS.orders10s,
  'ORDERS DAY 1': RATE_POOLS.orders1d,
  'RAW_REQUESTS MINUTE 5': RATE_POOLS.rawRequests,
};

/** WebSocket API: the `rateLimits` array of each answer into the limiter's pools. Anything unreadable is ignored. */
export const binanceWsUsageReader: WsUsageReader = {
  pools: [...new Set(Object.values(RATE_LIMIT_POOLS))],
  *readUsage(message: unknown): Iterable<ReportedUsage> {
    const limits = (message as { rateLimits?: unknown } | null)?.rateLimits;
    if (!Array.isArray(limits)) return;
    for (const entry of limits as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { rateLimitType, interval, intervalNum, count } = entry as Record<string, unknown>;
      const pool = RATE_LIMIT_POOLS[`${String(rateLimitType)} ${String(interval)} ${String(intervalNum)}`];
      if (pool !== undefined && typeof count === 'number' && Number.isFinite(count) && count >= 0) yield { pool, used: count };
    }
  },
};
