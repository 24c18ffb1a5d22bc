import { InvalidArgumentError } from '../core/errors.js';

/** A budget the exchange enforces: `limit` units of weight per `intervalMs` (Binance's REQUEST_WEIGHT, ORDERS...). */
export interface RatePool {
  readonly id: string;
  readonly limit: number;
  readonly intervalMs: number;
}

/** What one request under a limit id takes from each pool: pool id → weight. */
export type EndpointWeights = Readonly<Record<string, number>>;

/**
 * A connector's rate limits. Every limit id a request may name is a key of `endpoints`, and every
 * pool an endpoint charges must be declared in `pools`: anything else is refused when the limiter
 * is built, never discovered at request time.
 */
export interface RateLimitConfig<L extends string = string> {
  readonly pools: readonly RatePool[];
  readonly endpoints: Readonly<Record<L, EndpointWeights>>;
  /**
   * The fraction of each pool this process may use, in (0, 1]. Default 1. Bots sharing one key or
   * IP each take a part; the exchange's reported usage still counts against the whole limit.
   */
  readonly share?: number;
  /**
   * How much longer than the interval a weight keeps counting after its response, as a fraction of
   * the interval. Default 0.05: absorbs clock-rate differences with the exchange.
   */
  readonly safetyMargin?: number;
}

export interface CompiledPool {
  readonly id: string;
  /** The exchange's limit. */
  readonly limit: number;
  /** This process's part of it: max(1, floor(limit × share)). */
  readonly capacity: number;
  readonly intervalMs: number;
  /** How long a weight counts after its request completed. */
  readonly holdMs: number;
  /** Granularity of expiries: a thousandth of the interval, at least 1 ms. */
  readonly bucketMs: number;
}

export interface CompiledEndpoint {
  readonly id: string;
  readonly charges: ReadonlyArray<{ readonly pool: string; readonly weight: number }>;
}

export interface CompiledLimits {
  readonly pools: ReadonlyMap<string, CompiledPool>;
  readonly endpoints: ReadonlyMap<string, CompiledEndpoint>;
}

export function compileRateLimits(config: RateLimitConfig): CompiledLimits {
  const share = config.share ?? 1;
  const margin = config.safetyMargin ?? 0.05;
  if (!(share > 0 && share <= 1)) throw new InvalidArgumentError(`rate limit share must be in (0, 1], got ${share}`, 'share');
  if (!(margin >= 0 && Number.isFinite(margin))) {
    throw new InvalidArgumentError(`rate limit safety margin must be ≥ 0, got ${margin}`, 'safetyMargin');
  }

  const pools = new Map<string, CompiledPool>();
  for (const p of config.pools) {
    if (pools.has(p.id)) throw new InvalidArgumentError(`rate limit pool "${p.id}" is declared twice`, 'pools');
    if (!(Number.isInteger(p.limit) && p.limit > 0)) {
      throw new InvalidArgumentError(`rate limit pool "${p.id}" needs a positive integer limit, got ${p.limit}`, 'pools');
    }
    if (!(p.intervalMs > 0 && Number.isFinite(p.intervalMs))) {
      throw new InvalidArgumentError(`rate limit pool "${p.id}" needs a positive interval, got ${p.intervalMs}`, 'pools');
    }
    pools.set(p.id, {
      id: p.id,
      limit: p.limit,
      capacity: Math.max(1, Math.floor(p.limit * share)),
      intervalMs: p.intervalMs,
      holdMs: Math.ceil(p.intervalMs * (1 + margin)),
      bucketMs: Math.max(1, Math.floor(p.intervalMs / 1000)),
    });
  }

  const endpoints = new Map<string, CompiledEndpoint>();
  for (const [id, weights] of Object.entries(config.endpoints) as Array<[string, EndpointWeights]>) {
    const charges: Array<{ pool: string; weight: number }> = [];
    for (const [poolId, weight] of Object.entries(weights)) {
      const pool = pools.get(poolId);
      if (!pool) throw new InvalidArgumentError(`limit id "${id}" charges unknown pool "${poolId}"`, 'endpoints');
      if (!(Number.isInteger(weight) && weight >= 0)) {
        throw new InvalidArgumentError(`limit id "${id}" has an invalid weight ${weight} on "${poolId}"`, 'endpoints');
      }
      if (weight > pool.capacity) {
        throw new InvalidArgumentError(
          `limit id "${id}" weighs ${weight} on "${poolId}", more than its capacity ${pool.capacity}: it could never be sent`,
          'endpoints',
        );
      }
      if (weight > 0) charges.push({ pool: poolId, weight });
    }
    endpoints.set(id, { id, charges });
  }
  return { pools, endpoints };
}
