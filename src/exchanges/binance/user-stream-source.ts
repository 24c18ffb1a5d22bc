import type { UserStreamDataSource, UserStreamListener, UserStreamMessage } from '../../connector/user-stream-source.js';
import { TimestampError, isRetryable } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { monotonicClock, type Cancel, type NetClock } from '../../net/clock.js';
import type { RateLimiter } from '../../net/rate-limiter.js';
import type { ServerClock } from '../../net/rest-client.js';
import { WsClient, type WsSubscription } from '../../net/ws-client.js';
import type { BinanceAuth } from './auth.js';
import { LIMIT_IDS, WS_API_METHODS, type BinanceLimitId } from './constants.js';
import {
  binanceWsErrorMapper,
  binanceWsUsageReader,
  parseSubscribeResult,
  parseUserDataEvent,
  parseWsApiMessage,
  type BinanceMarkets,
} from './parse.js';
import { callListener, logSkippedMessage } from './stream-delivery.js';
import type { BinanceWsTuning } from './ws-tuning.js';

export interface BinanceUserStreamSourceOptions {
  /** The WebSocket API endpoint (`BinanceUrls.wsApiUrl`, ending in `/ws-api/v3`). */
  wsApiUrl: string;
  auth: BinanceAuth;
  /**
   * The exchange's clock (the connector's TimeSynchronizer). Each subscription is timestamped with
   * it right before it is sent; a timestamp refusal (-1021) resyncs it and signs once more.
   */
  timeSync: ServerClock;
  /** The current symbol → pair map, read for every event: the exchange base refreshes it from exchangeInfo. */
  symbols: () => Pick<BinanceMarkets, 'symbolToPair'>;
  /**
   * The connector's rate limiter: connections are charged to `LIMIT_IDS.wsApiConnect`, the
   * subscription to `LIMIT_IDS.wsApiUserDataSubscribe`, and answers' `rateLimits` feed its counts.
   */
  limiter?: RateLimiter<BinanceLimitId>;
  /** After the exchange refuses the subscription (a revoked key, say), the wait before trying again. Default 60 000. */
  refusedRetryMs?: number;
  ws?: BinanceWsTuning;
  /** The clock of every timer (pings, idle checks, reconnect backoff, retries). Default: src/net's monotonic clock. */
  clock?: NetClock;
  /**
   * The time `lastRecvTime` is given in: the exchange base's own `clock.now`, so its silence check
   * compares like with like whatever clock runs the timers. Default: `clock.now`.
   */
  now?: () => number;
  logger?: Logger;
}

const SUBSCRIPTION_KEY = 'binance user data stream';

/**
 * The Binance spot user data stream over the WebSocket API (`userDataStream.subscribe.signature`;
 * the listenKey endpoints were removed in February 2026). One connection, one subscription,
 * signed afresh on every connection. A lost or half-open connection, `eventStreamTerminated` and
 * `serverShutdown` all lead to a new connection and a new subscription, announced with
 * `onSubscribed` so the base reconciles what it may have missed.
 *
 * Events become `UserStreamMessage`s in arrival order: an `executionReport` with x=TRADE gives its
 * `trade` message first and then its `order` message; `outboundAccountPosition` gives `balances`
 * (as of its `u`), `balanceUpdate` a `balance_delta` (as of its `T`). Unreadable events are logged
 * and skipped. Neither the key, the secret nor a signature is ever logged.
 */
export class BinanceUserStreamSource implements UserStreamDataSource {
  private readonly client: WsClient<BinanceLimitId>;
  private readonly clock: NetClock;
  private readonly logger: Logger;
  private readonly refusedRetryMs: number;
  private listener: UserStreamListener | undefined;
  private running = false;
  private isSubscribed = false;
  private subscriptionIdValue: number | undefined;
  private cancelRetry: Cancel | undefined;

  constructor(private readonly options: BinanceUserStreamSourceOptions) {
    this.clock = options.clock ?? monotonicClock;
    this.logger = (options.logger ?? silentLogger()).child({ source: 'binance user stream' });
    this.refusedRetryMs = options.refusedRetryMs ?? 60_000;
    const { limiter } = options;
    this.client = new WsClient<BinanceLimitId>({
      ...options.ws,
      url: options.wsApiUrl,
      name: 'binance user stream',
      errorMapper: binanceWsErrorMapper(),
      clock: this.clock,
      logger: this.logger,
      ...(limiter && { limiter, connectLimitId: LIMIT_IDS.wsApiConnect, usageReader: binanceWsUsageReader }),
    });
    this.client.on('message', (message) => this.onMessage(message));
    this.client.on('disconnected', (reason) => this.lost(`connection ${reason}`));
    this.client.on('subscriptionFailed', (_key, err) => this.onRefused(err));
  }

  private readonly subscription: WsSubscription = {
    key: SUBSCRIPTION_KEY,
    subscribe: async () => {
      const id = await this.subscribeSigned();
      this.isSubscribed = true;
      this.subscriptionIdValue = id;
      this.logger.info({ subscriptionId: id, connection: this.client.connectionCount }, 'user data stream subscribed');
      callListener(this.logger, 'onSubscribed', () => this.listener?.onSubscribed());
    },
  };

  /** Connects and subscribes in the background, again after every loss, until `stop`. */
  start(listener: UserStreamListener): Promise<void> {
    this.listener = listener;
    if (this.running) return Promise.resolve();
    this.running = true;
    this.register();
    this.client.start().catch(() => undefined);
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.isSubscribed = false;
    this.subscriptionIdValue = undefined;
    await this.client.stop();
  }

  get subscribed(): boolean {
    return this.isSubscribed;
  }

  /** The exchange's id for the current subscription. */
  get subscriptionId(): number | undefined {
    return this.isSubscribed ? this.subscriptionIdValue : undefined;
  }

  /** When the connection last received any frame (event, answer, ping, pong), on `now`; 0 while disconnected. */
  get lastRecvTime(): number {
    const at = this.client.lastReceivedAt;
    if (at === 0) return 0;
    const now = this.options.now;
    return now === undefined ? at : now() - (this.clock.now() - at);
  }

  /** Connections opened so far. */
  get connectionCount(): number {
    return this.client.connectionCount;
  }

  /** Registers the subscription with the client, which applies it now if connected and on every later connection. */
  private register(): void {
    if (this.client.subscriptionKeys.includes(SUBSCRIPTION_KEY)) return;
    this.client.subscribe(this.subscription).catch((err: unknown) => {
      if (!isRetryable(err)) {
        this.onRefused(err);
      } else if (this.running) {
        this.logger.warn({ err }, 'user data subscription failed; replacing the connection');
        this.client.reconnect('user data subscription failed');
      }
    });
  }

  /** Subscribes once; after a timestamp refusal, resyncs the clock and signs once more. */
  private async subscribeSigned(): Promise<number> {
    try {
      return await this.requestSubscription();
    } catch (err) {
      if (!(err instanceof TimestampError)) throw err;
      this.logger.warn({ err: err.message }, 'subscription timestamp refused; resyncing the clock and signing again');
      await this.options.timeSync.resync().catch((e: unknown) => this.logger.warn({ err: e }, 'clock resync failed'));
      return this.requestSubscription();
    }
  }

  private async requestSubscription(): Promise<number> {
    const { limiter } = this.options;
    const permit = limiter ? await limiter.acquire(LIMIT_IDS.wsApiUserDataSubscribe) : undefined;
    try {
      // Signed only now that the slot is granted: the timestamp opens the recvWindow.
      const params = this.options.auth.userDataStreamSubscribeParams(this.options.timeSync.now());
      const answer = await this.client.request({ method: WS_API_METHODS.userDataStreamSubscribeSignature, params });
      const frame = parseWsApiMessage(answer);
      if (!frame.ok) throw frame.error;
      const id = parseSubscribeResult(frame.value.kind === 'response' ? frame.value.result : undefined);
      if (!id.ok) throw id.error;
      return id.value;
    } finally {
      permit?.release();
    }
  }

  /** The exchange refused the subscription (the client dropped it): try again later, the key may come back. */
  private onRefused(err: unknown): void {
    this.logger.error({ err }, `user data subscription refused; trying again in ${this.refusedRetryMs} ms`);
    const wasSubscribed = this.isSubscribed;
    this.isSubscribed = false;
    const reason = `subscription refused: ${err instanceof Error ? err.message : String(err)}`;
    if (!wasSubscribed) callListener(this.logger, 'onDisconnected', () => this.listener?.onDisconnected(reason));
    else this.lost(reason);
    this.cancelRetry?.();
    this.cancelRetry = this.clock.schedule(this.refusedRetryMs, () => {
      this.cancelRetry = undefined;
      if (this.running) this.register();
    });
  }

  /** The subscription is gone (connection lost, terminated): tell the base once. */
  private lost(reason: string): void {
    if (!this.isSubscribed) return;
    this.isSubscribed = false;
    this.subscriptionIdValue = undefined;
    this.logger.warn({ reason }, 'user data stream down');
    callListener(this.logger, 'onDisconnected', () => this.listener?.onDisconnected(reason));
  }

  private onMessage(message: unknown): void {
    const frame = parseWsApiMessage(message);
    if (!frame.ok) return logSkippedMessage(this.logger, frame, 'WebSocket API message');
    const value = frame.value;
    if (value.kind === 'serverShutdown') {
      this.logger.info('the exchange announced a shutdown; reconnecting now');
      this.lost('serverShutdown');
      this.client.reconnect('serverShutdown');
    } else if (value.kind === 'response') {
      this.logger.debug({ id: value.id, status: value.status }, 'late WebSocket API answer ignored');
    } else {
      this.onEvent(value.event);
    }
  }

  private onEvent(event: unknown): void {
    const parsed = parseUserDataEvent(event, this.options.symbols().symbolToPair);
    if (!parsed.ok) return logSkippedMessage(this.logger, parsed, 'user data event');
    const e = parsed.value;
    switch (e.type) {
      case 'executionReport':
        if (e.tradeUpdate) this.deliver({ kind: 'trade', update: e.tradeUpdate });
        this.deliver({ kind: 'order', update: e.orderUpdate });
        return;
      case 'outboundAccountPosition':
        this.deliver({ kind: 'balances', balances: e.position.balances, exchangeTime: e.position.lastUpdateTime });
        return;
      case 'balanceUpdate':
        this.deliver({ kind: 'balance_delta', asset: e.balance.asset, delta: e.balance.delta, exchangeTime: e.balance.clearTime });
        return;
      case 'eventStreamTerminated':
        this.lost('eventStreamTerminated');
        this.client.reconnect('eventStreamTerminated');
        return;
      case 'ignored':
        this.logger.debug({ eventType: e.eventType }, 'user data event ignored');
        return;
    }
  }

  private deliver(message: UserStreamMessage): void {
    callListener(this.logger, `onMessage(${message.kind})`, () => this.listener?.onMessage(message));
  }
}
