import { z } from 'zod';
import type { BookStreamListener, OrderBookTrackerDataSource } from '../../core/book/data-source.js';
import { binanceSequencing, type SequencingRule } from '../../core/book/sequencing.js';
import type { BookDiff, BookSnapshot } from '../../core/book/types.js';
import { ExchangeError, InvalidArgumentError, NetworkError, RequestTimeoutError, isRetryable } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { backoffDelay, type BackoffOptions } from '../../net/backoff.js';
import { monotonicClock, type Cancel, type NetClock } from '../../net/clock.js';
import type { RateLimiter } from '../../net/rate-limiter.js';
import type { RestClient } from '../../net/rest-client.js';
import { WsClient, type WsSubscription } from '../../net/ws-client.js';
import type { WsErrorMapper } from '../../net/ws-requests.js';
import { DEPTH_SNAPSHOT_LIMIT, LIMIT_IDS, PATHS, depthLimitId, depthStream, tradeStream, type BinanceLimitId } from './constants.js';
import {
  parseDepthSnapshot,
  parseDepthUpdate,
  parsePublicTrade,
  parseStreamMessage,
  type BinanceMarkets,
  type StreamMessage,
} from './parse.js';
import { StreamControl } from './stream-control.js';
import { callListener, logSkippedMessage } from './stream-delivery.js';
import type { BinanceWsTuning } from './ws-tuning.js';

/** A `depthUpdate` as the book synchronizer sees it: `U..u`, the levels, and Binance's event time. */
export interface BinanceDiff extends BookDiff {
  /** `E`, exchange time in ms. */
  readonly eventTime: number;
}

/** The symbol ↔ pair maps from exchangeInfo (`BinanceMarkets` fits as is). */
export type BinanceSymbolMaps = Pick<BinanceMarkets, 'symbolToPair' | 'pairToSymbol'>;

export interface BinanceOrderBookSourceOptions {
  /** The market stream endpoint (`BinanceUrls.streamUrl`, ending in `/ws`). */
  streamUrl: string;
  /** The connector's REST client (depth snapshots, last prices), sharing its rate limiter. */
  rest: Pick<RestClient<BinanceLimitId>, 'request'>;
  /** The current symbol maps, read at every use: the exchange base refreshes them from exchangeInfo. */
  symbols: () => BinanceSymbolMaps;
  /** The connector's rate limiter: each connection attempt is charged to `LIMIT_IDS.streamConnect`. */
  limiter?: RateLimiter<BinanceLimitId>;
  /** Levels per side in a snapshot. Default `DEPTH_SNAPSHOT_LIMIT` (1000, weight 50). */
  snapshotLimit?: number;
  /** Least time between two SUBSCRIBE / UNSUBSCRIBE messages (Binance allows 5 messages a second, pings and pongs included). Default 350. */
  controlIntervalMs?: number;
  /** Delays before a SUBSCRIBE the exchange refused is sent again. Default 1 s doubling up to 60 s. */
  refusalRetry?: Partial<BackoffOptions>;
  ws?: BinanceWsTuning;
  clock?: NetClock;
  logger?: Logger;
}

const tickerSchema = z.object({ symbol: z.string(), lastPrice: z.string().min(1) });

/**
 * Market stream control answers: `{"result":null,"id":N}` is a success, `{"code":2,"msg":…,"id":N}`
 * a refusal (reference §5.2). These codes are the stream protocol's own, not API error codes.
 */
const streamControlErrorMapper: WsErrorMapper = {
  mapError(message) {
    if (typeof message !== 'object' || message === null) return undefined;
    const { code, msg } = message as { code?: unknown; msg?: unknown };
    if (typeof code !== 'number') return undefined;
    return new ExchangeError(`market stream refused the request: ${code} ${typeof msg === 'string' ? msg : ''}`.trimEnd(), { exchangeCode: code });
  },
};

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/**
 * Binance spot order books for the OrderBookTracker: one WebSocket on the market stream endpoint
 * carrying `<symbol>@depth@100ms` and `<symbol>@trade` for every tracked pair, REST depth
 * snapshots, and the ticker for last prices before the first trade.
 *
 * Subscriptions: pairs come and go at run time; `subscribe` resolves when the exchange answered the
 * SUBSCRIBE, so a snapshot requested afterwards overlaps the stream. Every new connection
 * subscribes every wanted pair again (merged into as few messages as possible); a pair confirmed
 * on an earlier connection is then reported with `onReconnected`, and all confirmed pairs with
 * `onDisconnected` when a connection is lost, closed or found half-open. A `serverShutdown` notice
 * replaces the connection at once. Messages that do not parse are logged and skipped: a skipped
 * diff shows up as a gap and the book resyncs.
 */
export class BinanceOrderBookSource implements OrderBookTrackerDataSource<BinanceDiff> {
  readonly sequencing: SequencingRule<BinanceDiff> = binanceSequencing;
  private readonly client: WsClient<BinanceLimitId>;
  private readonly control: StreamControl;
  private readonly logger: Logger;
  private readonly snapshotLimit: number;
  private listener: BookStreamListener<BinanceDiff> | undefined;
  /** Pairs to keep subscribed, with their symbol. */
  private readonly wanted = new Map<string, string>();
  /** Pairs the exchange confirmed at least once since they were subscribed: a later confirmation follows a reconnection. */
  private readonly confirmed = new Set<string>();
  /** Pairs confirmed on the current connection. */
  private readonly live = new Set<string>();
  private readonly waiters = new Map<string, Waiter[]>();
  /** Refused pairs: the SUBSCRIBE sent again later, and how many refusals in a row. */
  private readonly retries = new Map<string, { attempts: number; cancel: Cancel | undefined }>();
  private readonly refusalRetry: BackoffOptions;
  private readonly clock: NetClock;
  private running = false;

  constructor(private readonly options: BinanceOrderBookSourceOptions) {
    this.logger = (options.logger ?? silentLogger()).child({ source: 'binance order books' });
    this.snapshotLimit = options.snapshotLimit ?? DEPTH_SNAPSHOT_LIMIT;
    if (!Number.isInteger(this.snapshotLimit) || this.snapshotLimit < 1 || this.snapshotLimit > 5000) {
      throw new InvalidArgumentError(`snapshotLimit must be an integer in [1, 5000], got ${this.snapshotLimit}`, 'snapshotLimit');
    }
    const clock = options.clock ?? monotonicClock;
    this.clock = clock;
    this.refusalRetry = { initialDelayMs: 1_000, maxDelayMs: 60_000, ...options.refusalRetry };
    this.client = new WsClient<BinanceLimitId>({
      ...options.ws,
      url: options.streamUrl,
      name: 'binance market streams',
      errorMapper: streamControlErrorMapper,
      clock,
      logger: this.logger,
      ...(options.limiter && { limiter: options.limiter, connectLimitId: LIMIT_IDS.streamConnect }),
    });
    this.control = new StreamControl(this.client, {
      clock,
      logger: this.logger,
      ...(options.controlIntervalMs !== undefined && { minIntervalMs: options.controlIntervalMs }),
    });
    this.client.on('message', (message) => this.onMessage(message));
    this.client.on('disconnected', (reason) => this.onConnectionLost(reason));
    void this.client.subscribe(this.resubscription);
  }

  /** Re-subscribes every wanted pair on each new connection; the client waits for it before calling the connection ready. */
  private readonly resubscription: WsSubscription = {
    key: 'binance market streams',
    subscribe: async () => {
      const outcomes = await Promise.all([...this.wanted.keys()].map((pair) => this.subscribeOnConnection(pair)));
      // A connection that could not carry them is replaced; the next one tries again.
      const failure = outcomes.find((outcome) => outcome !== undefined);
      if (failure !== undefined) throw failure;
    },
  };

  /** Opens the connection in the background (retrying with backoff until `stop`); stream events go to `listener`. */
  start(listener: BookStreamListener<BinanceDiff>): Promise<void> {
    this.listener = listener;
    if (this.running) return Promise.resolve();
    this.running = true;
    this.client.start().catch(() => undefined);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const stopped = new NetworkError('the order book source stopped');
    this.control.failQueued(stopped);
    for (const pair of [...this.waiters.keys()]) this.settleWaiters(pair, stopped);
    for (const pair of [...this.retries.keys()]) this.cancelRetry(pair);
    this.wanted.clear();
    this.confirmed.clear();
    this.live.clear();
    await this.client.stop();
  }

  /**
   * Subscribes the pair's diff and trade streams; resolves once the exchange confirmed them (after
   * the connection is up, if it is not yet). Rejects if the pair is not a Binance market, or when
   * `stop` comes first. A connection lost meanwhile only delays the answer to the next connection,
   * and a refusal to a retry with backoff: a book is never dropped because the exchange said no once.
   */
  async subscribe(tradingPair: string): Promise<void> {
    const symbol = this.symbolOf(tradingPair);
    if (this.live.has(tradingPair)) return;
    const done = new Promise<void>((resolve, reject) => {
      const list = this.waiters.get(tradingPair) ?? [];
      list.push({ resolve, reject });
      this.waiters.set(tradingPair, list);
    });
    const already = this.wanted.has(tradingPair);
    this.wanted.set(tradingPair, symbol);
    if (!already && this.client.isOpen) {
      void this.subscribeOnConnection(tradingPair).then((failure) => {
        if (failure === undefined) return;
        this.logger.info({ err: failure, tradingPair }, 'subscription not confirmed; the next connection subscribes the pair');
        if (failure instanceof RequestTimeoutError) this.client.reconnect('a subscription went unanswered');
      });
    }
    return done;
  }

  /** Unsubscribes the pair's streams. A subscribe still waiting resolves (there is nothing left to wait for). */
  async unsubscribe(tradingPair: string): Promise<void> {
    const symbol = this.wanted.get(tradingPair);
    if (symbol === undefined) return;
    this.wanted.delete(tradingPair);
    this.confirmed.delete(tradingPair);
    this.live.delete(tradingPair);
    this.cancelRetry(tradingPair);
    this.settleWaiters(tradingPair);
    if (!this.client.isOpen) return;
    try {
      await this.control.send('UNSUBSCRIBE', streamsOf(symbol));
    } catch (err) {
      // The connection went down: its subscriptions went with it.
      if (err instanceof NetworkError) return;
      throw err;
    }
  }

  /** `GET /api/v3/depth` with `snapshotLimit` levels, its `lastUpdateId` as the update id. */
  async fetchSnapshot(tradingPair: string): Promise<BookSnapshot> {
    const symbol = this.symbolOf(tradingPair);
    const body = await this.options.rest.request({
      path: PATHS.depth,
      params: { symbol, limit: this.snapshotLimit },
      limitId: depthLimitId(this.snapshotLimit),
    });
    const parsed = parseDepthSnapshot(body);
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  }

  /** Each pair's last price from `GET /api/v3/ticker/24hr?symbol=…`; pairs whose request fails are left out (logged). */
  async fetchLastTradedPrices(tradingPairs: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const prices = new Map<string, string>();
    await Promise.all(
      tradingPairs.map(async (pair) => {
        try {
          const body = await this.options.rest.request({ path: PATHS.ticker24hr, params: { symbol: this.symbolOf(pair) }, limitId: LIMIT_IDS.ticker24hr });
          const ticker = tickerSchema.safeParse(body);
          if (ticker.success) prices.set(pair, ticker.data.lastPrice);
          else this.logger.warn({ tradingPair: pair }, 'unreadable 24hr ticker; no last price');
        } catch (err) {
          this.logger.warn({ err, tradingPair: pair }, 'last price unavailable');
        }
      }),
    );
    return prices;
  }

  /** Whether the market stream connection is open now. */
  get connected(): boolean {
    return this.client.isOpen;
  }

  /** Pairs subscribed on the current connection. */
  get subscribedPairs(): string[] {
    return [...this.live];
  }

  /**
   * Sends the pair's SUBSCRIBE on the current connection and records the answer. Returns the
   * error when the connection could not carry it (retry on the next one); a refusal is retried on
   * a timer (`refused`).
   */
  private async subscribeOnConnection(pair: string): Promise<unknown> {
    const symbol = this.wanted.get(pair);
    if (symbol === undefined) return undefined;
    try {
      await this.control.send('SUBSCRIBE', streamsOf(symbol));
    } catch (err) {
      if (this.wanted.get(pair) !== symbol) return undefined;
      if (isRetryable(err)) return err;
      this.refused(pair, err);
      return undefined;
    }
    this.confirm(pair, symbol);
    return undefined;
  }

  private confirm(pair: string, symbol: string): void {
    // A pair can be confirmed twice on one connection (a request queued before a reconnection is sent on the new one).
    if (this.wanted.get(pair) !== symbol || !this.client.isOpen || this.live.has(pair)) return;
    this.live.add(pair);
    this.cancelRetry(pair);
    if (this.confirmed.has(pair)) {
      callListener(this.logger, 'onReconnected', () => this.listener?.onReconnected([pair]));
      return;
    }
    this.confirmed.add(pair);
    this.settleWaiters(pair);
  }

  /**
   * The pair stays wanted and its waiters wait: a refusal may be passing (a limit on streams, the
   * exchange's restart), so the SUBSCRIBE goes again after a growing delay, and every new
   * connection sends it too. A pair confirmed before is reported disconnected meanwhile.
   */
  private refused(pair: string, err: unknown): void {
    const retry = this.retries.get(pair) ?? { attempts: 0, cancel: undefined };
    retry.cancel?.();
    const delayMs = backoffDelay(retry.attempts++, this.refusalRetry);
    this.logger.error({ err, tradingPair: pair, retryInMs: delayMs }, 'the exchange refused the pair\'s streams; subscribing again later');
    const wasLive = this.live.delete(pair);
    if (wasLive) callListener(this.logger, 'onDisconnected', () => this.listener?.onDisconnected([pair]));
    retry.cancel = this.clock.schedule(delayMs, () => {
      retry.cancel = undefined;
      if (!this.running || !this.wanted.has(pair) || this.live.has(pair) || !this.client.isOpen) return;
      void this.subscribeOnConnection(pair);
    });
    this.retries.set(pair, retry);
  }

  private cancelRetry(pair: string): void {
    this.retries.get(pair)?.cancel?.();
    this.retries.delete(pair);
  }

  private settleWaiters(pair: string, err?: unknown): void {
    const list = this.waiters.get(pair);
    if (!list) return;
    this.waiters.delete(pair);
    for (const waiter of list) {
      if (err === undefined) waiter.resolve();
      else waiter.reject(err);
    }
  }

  private onConnectionLost(reason: string): void {
    this.live.clear();
    const pairs = [...this.confirmed];
    this.logger.warn({ reason, pairs: pairs.length }, 'market stream connection lost; books wait for the next one');
    if (pairs.length > 0) callListener(this.logger, 'onDisconnected', () => this.listener?.onDisconnected(pairs));
  }

  private onMessage(message: unknown): void {
    const parsed = parseStreamMessage(message);
    if (!parsed.ok) {
      logSkippedMessage(this.logger, parsed, 'market stream message');
      return;
    }
    const frame: StreamMessage = parsed.value;
    switch (frame.kind) {
      case 'data':
        this.onData(frame.eventType, frame.data);
        return;
      case 'serverShutdown':
        this.logger.info('the exchange announced a shutdown; reconnecting now');
        this.client.reconnect('serverShutdown');
        return;
      case 'error':
        this.logger.warn({ code: frame.code, msg: frame.msg }, 'market stream error');
        return;
      case 'result':
        this.logger.debug({ id: frame.id }, 'late answer to a stream request ignored');
        return;
    }
  }

  private onData(eventType: string | undefined, data: Record<string, unknown>): void {
    const symbols = this.options.symbols().symbolToPair;
    if (eventType === 'depthUpdate') {
      const update = parseDepthUpdate(data, symbols);
      if (!update.ok) return logSkippedMessage(this.logger, update, 'depthUpdate');
      const { tradingPair, eventTime, diff } = update.value;
      const binanceDiff: BinanceDiff = { ...diff, eventTime };
      callListener(this.logger, 'onDiff', () => this.listener?.onDiff(tradingPair, binanceDiff));
    } else if (eventType === 'trade') {
      const trade = parsePublicTrade(data, symbols);
      if (!trade.ok) return logSkippedMessage(this.logger, trade, 'trade');
      callListener(this.logger, 'onTrade', () => this.listener?.onTrade(trade.value.tradingPair, trade.value.trade));
    } else {
      this.logger.debug({ eventType }, 'market stream event ignored');
    }
  }

  private symbolOf(tradingPair: string): string {
    const symbol = this.options.symbols().pairToSymbol.get(tradingPair);
    if (symbol === undefined) throw new InvalidArgumentError(`${tradingPair} is not a Binance spot market`, 'tradingPair');
    return symbol;
  }
}

function streamsOf(symbol: string): string[] {
  return [depthStream(symbol), tradeStream(symbol)];
}
