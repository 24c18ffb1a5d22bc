import type { ReportedUsage, ResponseHeaders, UsageReader } from './rest-types.js';

/**
 * A usage reader for exchanges that put counts in plain numeric headers: header name → pool id,
 * such as `{ 'x-mbx-used-weight-1m': 'REQUEST_WEIGHT' }`. Header names match case-insensitively.
 */
export function usageFromHeaders(headerToPool: Readonly<Record<string, string>>): UsageReader {
  const entries = Object.entries(headerToPool).map(([header, pool]) => [header.toLowerCase(), pool] as const);
  return {
    pools: [...new Set(entries.map(([, pool]) => pool))],
    *readUsage(headers: ResponseHeaders): Iterable<ReportedUsage> {
      for (const [header, pool] of entries) {
        const raw = headers[header];
        const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
        if (value === undefined) continue;
        const used = Number(value);
        if (Number.isFinite(used) && used >= 0) yield { pool, used };
      }
    },
  };
}
