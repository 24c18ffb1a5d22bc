import { silentLogger, type Logger } from '../core/logger.js';
import { MarketActivity, type ActivityOptions } from './activity/activity.js';
import { SimulatorAdmin, type AccountHandle } from './admin.js';
import { RateLimiter, type RateLimitSettings } from './binance/limits/rate-limiter.js';
import { KeyStore } from './binance/keys.js';
import { BinanceServer } from './binance/server.js';
import type { MarketStreams, MarketStreamOptions } from './binance/streams/market-streams.js';
import type { WsApi } from './binance/ws-api/ws-api.js';
import { SimClock } from './clock.js';
import { adminRandom } from './demo-key.js';
import { DEFAULT_MARKETS, DEMO_BALANCES } from './defaults.js';
import { Engine, type HistoryLimits, type MarketSpec } from './engine/index.js';
import { SeededRandom } from './random.js';
import { startLiveParts } from './live-parts.js';
import type { SocketOptions } from './ws/socket.js';

export interface SimulatorOptions {
  /** 127.0.0.1 by default: the simulator is for loopback. */
  host?: string;
  /** 0 (any free port) by default. */
  port?: number;
  /** Seeds the market activity, the demo key and generated ids; 1 by default. */
  seed?: number;
  /** Background market activity: on by default; false for a still market, or options. */
  activity?: boolean | Partial<Omit<ActivityOptions, 'seed'>>;
  /** Quote every book once at start when activity is off, so books are two-sided; true by default. */
  seedLiquidity?: boolean;
  /** The markets to open; BTC-USDT, ETH-USDT and ETH-BTC by default. */
  markets?: readonly MarketSpec[];
  /** A funded demo account with an API key; true by default (balances in DEMO_BALANCES). */
  demoAccount?: boolean | { balances: Record<string, string> };
  /** How much recent history the engine keeps per account and market. */
  history?: Partial<HistoryLimits>;
  /**
   * Rate limits: the limits exchangeInfo publishes and the simulator enforces, the scope (per IP as
   * on Binance, or per API key) and the 429/418 policy. Binance's by default; `admin.limits` changes them at run time.
   */
  limits?: Partial<RateLimitSettings>;
  /** Seeds the random choices of injected faults (which occasions a probability picks, jitter, shuffles); derived from `seed` by default. */
  faultSeed?: number;
  /** Heartbeat, lifetime and slow-consumer limits of every WebSocket connection (Binance's by default). */
  websocket?: Partial<SocketOptions>;
  /** Market stream cadences and per-connection limits (Binance's by default). */
  streams?: Partial<MarketStreamOptions>;
  logger?: Logger;
  /** Code that plugs into the running simulator (streams, the WebSocket API, limits, faults). */
  extensions?: readonly SimulatorExtension[];
}

/** What an extension gets to work with. */
export interface SimulatorParts {
  readonly engine: Engine;
  readonly server: BinanceServer;
  readonly keys: KeyStore;
  readonly clock: SimClock;
  readonly admin: SimulatorAdmin;
  readonly activity: MarketActivity | null;
  readonly logger: Logger;
  readonly seed: number;
}

/** Plugs into the simulator before it listens; the returned close runs when the simulator closes. */
export type SimulatorExtension = (parts: SimulatorParts) => void | { close?: () => void | Promise<void> } | Promise<void | { close?: () => void | Promise<void> }>;

export interface Simulator extends SimulatorParts {
  /** The market streams on `wsUrl` (`/ws`, `/stream`). */
  readonly streams: MarketStreams;
  /** The WebSocket API on `wsApiUrl` (`/ws-api/v3`), with the user data streams. */
  readonly wsApi: WsApi;
  /** `http://HOST:PORT` (REST under /api/v3). */
  readonly restUrl: string;
  /** `ws://HOST:PORT/ws` (market streams; ccxt's `urls.api.ws.spot`). */
  readonly wsUrl: string;
  /** `ws://HOST:PORT/ws-api/v3` (the WebSocket API). */
  readonly wsApiUrl: string;
  readonly host: string;
  readonly port: number;
  /** The demo account, or null when started without one. */
  readonly demo: AccountHandle | null;
  close(): Promise<void>;
}

/**
 * Starts a Binance-spot-compatible exchange on loopback: the matching engine, the REST dialect on
 * one port, the market activity, and whatever extensions are given. Resolves once it is listening,
 * every market with a starting price is two-sided and the demo account is funded.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 1;
  const logger = options.logger ?? silentLogger();
  const clock = new SimClock();
  const engine = new Engine({
    now: () => clock.now(),
    seed,
    history: options.history ?? {},
    onListenerError: (err) => logger.error({ err }, 'simulator event listener failed'),
  });
  const keys = new KeyStore();
  const limiter = new RateLimiter(options.limits ?? {}, () => clock.now());
  const server = new BinanceServer({ engine, keys, now: () => clock.now(), logger, rateLimits: () => limiter.settings.rateLimits });
  const random = new SeededRandom(seed);
  const live = startLiveParts(engine, server, limiter, clock, logger, {
    faultSeed: options.faultSeed ?? random.fork(13).int(0, 2 ** 31 - 1),
    ...(options.websocket !== undefined ? { websocket: options.websocket } : {}),
    ...(options.streams !== undefined ? { streams: options.streams } : {}),
  });
  const { streams, wsApi } = live;
  const admin = new SimulatorAdmin(engine, keys, server, adminRandom(seed), { limits: limiter, faults: live.faults });
  for (const spec of options.markets ?? DEFAULT_MARKETS) admin.addMarket(spec);

  let demo: AccountHandle | null = null;
  if (options.demoAccount !== false) {
    const balances = typeof options.demoAccount === 'object' ? options.demoAccount.balances : DEMO_BALANCES;
    demo = admin.createAccount({ name: 'demo', balances: { ...balances } });
  }

  const activityOn = options.activity !== false;
  let activity: MarketActivity | null = null;
  if (activityOn || options.seedLiquidity !== false) {
    const tuning = typeof options.activity === 'object' ? options.activity : {};
    activity = new MarketActivity(engine, { ...tuning, seed }, logger);
    if (activityOn) activity.start();
    else activity.seed();
  }

  const parts: SimulatorParts = { engine, server, keys, clock, admin, activity, logger, seed };
  const closers: (() => void | Promise<void>)[] = [];
  for (const extension of options.extensions ?? []) {
    const handle = await extension(parts);
    if (handle && handle.close) closers.push(handle.close);
  }

  let listening: { host: string; port: number };
  try {
    listening = await server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  } catch (error) {
    activity?.stop();
    await live.close();
    throw error;
  }
  const hostInUrl = listening.host.includes(':') ? `[${listening.host}]` : listening.host;
  const base = `${hostInUrl}:${listening.port}`;
  let closed = false;
  return {
    ...parts,
    streams,
    wsApi,
    restUrl: `http://${base}`,
    wsUrl: `ws://${base}/ws`,
    wsApiUrl: `ws://${base}/ws-api/v3`,
    host: listening.host,
    port: listening.port,
    demo,
    async close() {
      if (closed) return;
      closed = true;
      activity?.stop();
      for (const close of closers.reverse()) await close();
      await live.close();
      await server.close();
    },
  };
}

export { SimulatorAdmin, type AccountHandle, type BalanceView, type BookView, type CreateAccountOptions, type FillView, type OrderView } from './admin.js';
export type { NewKeyOptions } from './binance/keys.js';
export { MarketActivity, DEFAULT_ACTIVITY, type ActivityOptions } from './activity/activity.js';
export { BinanceServer, type UpgradeHandler } from './binance/server.js';
export type { RestRequest, RestResponse, Stage, StagePosition, Pipeline } from './binance/pipeline.js';
export type { Route } from './binance/routes.js';
export { KeyStore, type ApiKey } from './binance/keys.js';
export { BinanceError } from './binance/errors.js';
export { hmacSha256Hex, sortedPayload } from './binance/signature.js';
export { SimClock } from './clock.js';
export { MarketStreams, DEFAULT_STREAM_OPTIONS, type MarketStreamOptions } from './binance/streams/market-streams.js';
export { DEFAULT_SOCKET_OPTIONS, type SocketOptions } from './ws/socket.js';
export { WsApi } from './binance/ws-api/ws-api.js';
export { FaultControl, type ConnectionTarget } from './faults/control.js';
export type { FaultHandle } from './faults/registry.js';
export type { FaultSpec, FaultScope, Execute, EndpointSelector } from './faults/specs.js';
export type { UserEventType } from './faults/hooks.js';
export { DEFAULT_LIMIT_SETTINGS, type RateLimitControl, type RateLimitSettings, type ClientStatus, type LimitUsage } from './binance/limits/rate-limiter.js';
export type { RateLimitInfo } from './binance/exchange-info.js';
export { DEFAULT_MARKETS, DEMO_BALANCES } from './defaults.js';
export { demoCredentials } from './demo-key.js';
export { Engine } from './engine/index.js';
export type {
  EngineTransaction,
  ExpiryReason,
  HistoryLimits,
  MarketRules,
  MarketSpec,
  MarketStatus,
  OrderKind,
  OrderStatus,
  Side,
  StpMode,
  TimeInForce,
} from './engine/index.js';
