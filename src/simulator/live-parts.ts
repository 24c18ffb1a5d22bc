import type { Logger } from '../core/logger.js';
import { countOrders, installRateLimits, upgradeAdmission } from './binance/limits/limit-stages.js';
import type { RateLimiter } from './binance/limits/rate-limiter.js';
import type { BinanceServer } from './binance/server.js';
import { MarketStreams, type MarketStreamOptions } from './binance/streams/market-streams.js';
import { WsApi } from './binance/ws-api/ws-api.js';
import type { SimClock } from './clock.js';
import type { Engine } from './engine/index.js';
import { FaultControl } from './faults/control.js';
import { FaultRegistry } from './faults/registry.js';
import { HeldRequests, installRequestFaults } from './faults/request-faults.js';
import { DEFAULT_SOCKET_OPTIONS, type SocketOptions } from './ws/socket.js';

export interface LiveOptions {
  websocket?: Partial<SocketOptions>;
  streams?: Partial<MarketStreamOptions>;
  /** Seeds the faults' random choices. */
  faultSeed: number;
}

/** The parts that make the simulator live: market streams, the WebSocket API, rate limits and faults. */
export interface LiveParts {
  readonly streams: MarketStreams;
  readonly wsApi: WsApi;
  readonly faults: FaultControl;
  close(): Promise<void>;
}

/**
 * Puts the live parts around an engine and its REST server: the rate limiter and the faults go into
 * both request pipelines (REST and WebSocket API) in the same places, and the WebSocket endpoints
 * ask the same fault registry before each message.
 */
export function startLiveParts(engine: Engine, server: BinanceServer, limiter: RateLimiter, clock: SimClock, logger: Logger, options: LiveOptions): LiveParts {
  const socketOptions: SocketOptions = { ...DEFAULT_SOCKET_OPTIONS, ...options.websocket };
  const registry = new FaultRegistry(options.faultSeed);
  const streams = new MarketStreams(server, engine, server.context.symbols, () => clock.now(), socketOptions, options.streams, registry);
  const wsApi = new WsApi(server, engine, socketOptions, registry, logger, upgradeAdmission(limiter));
  const held = new HeldRequests(() => clock.now());
  for (const pipeline of [server.pipeline, wsApi.pipeline]) {
    installRateLimits(pipeline, limiter);
    installRequestFaults(pipeline, registry, held, wsApi.hub);
  }
  const stopCountingOrders = countOrders(engine, limiter);
  const faults = new FaultControl(registry, { streams, wsApi }, clock);
  return {
    streams,
    wsApi,
    faults,
    async close() {
      held.close();
      registry.clear();
      await Promise.all([streams.close(), wsApi.close()]);
      stopCountingOrders();
    },
  };
}
