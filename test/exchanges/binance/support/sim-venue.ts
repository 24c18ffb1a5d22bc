import { RateLimiter } from '../../../../src/net/rate-limiter.js';
import { RestClient, type RestClientOptions } from '../../../../src/net/rest-client.js';
import { TimeSynchronizer } from '../../../../src/net/time-sync.js';
import { BinanceAuth } from '../../../../src/exchanges/binance/auth.js';
import { LIMIT_IDS, PATHS, RATE_LIMITS, simulatorUrls, type BinanceLimitId, type BinanceUrls } from '../../../../src/exchanges/binance/constants.js';
import { binanceErrorMapper, binanceUsageReader, parseExchangeInfo, type BinanceMarkets } from '../../../../src/exchanges/binance/parse.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../../../src/simulator/index.js';

/** A simulator with the Binance connector's network pieces wired to it, as the exchange base wires them. */
export interface SimVenue {
  readonly sim: Simulator;
  readonly urls: BinanceUrls;
  readonly auth: BinanceAuth;
  readonly limiter: RateLimiter<BinanceLimitId>;
  readonly rest: RestClient<BinanceLimitId>;
  readonly timeSync: TimeSynchronizer;
  /** From the simulator's exchangeInfo. */
  readonly markets: BinanceMarkets;
  close(): Promise<void>;
}

/** The connector's REST client, limiter and clock for `restUrl`, signing with `auth`. */
export function binanceRest(
  restUrl: string,
  auth: BinanceAuth,
  options: Partial<RestClientOptions<BinanceLimitId>> = {},
): { rest: RestClient<BinanceLimitId>; limiter: RateLimiter<BinanceLimitId>; timeSync: TimeSynchronizer } {
  const limiter = new RateLimiter<BinanceLimitId>(RATE_LIMITS);
  const timeSync: TimeSynchronizer = new TimeSynchronizer({
    fetchServerTime: async () => (await rest.request<{ serverTime: number }>({ path: PATHS.time, limitId: LIMIT_IDS.time })).serverTime,
    samples: 1,
    refreshIntervalMs: 0,
  });
  const rest: RestClient<BinanceLimitId> = new RestClient<BinanceLimitId>({
    baseUrl: restUrl,
    limiter,
    signer: auth,
    timeSync,
    errorMapper: binanceErrorMapper(),
    usageReader: binanceUsageReader,
    retry: { initialDelayMs: 5, maxDelayMs: 20 },
    ...options,
  });
  return { rest, limiter, timeSync };
}

export async function startSimVenue(options: SimulatorOptions = {}): Promise<SimVenue> {
  const sim = await startSimulator(options);
  const urls = simulatorUrls(sim);
  const auth = new BinanceAuth(sim.demo!.apiKey, sim.demo!.apiSecret);
  const { rest, limiter, timeSync } = binanceRest(urls.restUrl, auth);
  await timeSync.start();
  const info = parseExchangeInfo(await rest.request({ path: PATHS.exchangeInfo, limitId: LIMIT_IDS.exchangeInfo }));
  if (!info.ok) throw info.error;
  return {
    sim,
    urls,
    auth,
    limiter,
    rest,
    timeSync,
    markets: info.value,
    async close() {
      timeSync.stop();
      await rest.close();
      await sim.close();
    },
  };
}

/** A depth snapshot of the simulator over REST, as strings. */
export async function restDepth(venue: SimVenue, pair: string): Promise<{ lastUpdateId: number; bids: string[][]; asks: string[][] }> {
  return venue.rest.request({
    path: PATHS.depth,
    params: { symbol: venue.markets.pairToSymbol.get(pair)!, limit: 1000 },
    limitId: LIMIT_IDS.depth1000,
  });
}
