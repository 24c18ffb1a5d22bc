import type { AccountTradesPage, BalanceSnapshot, CancelledOrder, ConnectorContext, ExchangeConnector, FormattedTradingRules, PlacedOrder, PlaceOrderRequest } from '../../connector/connector.js';
import { ExchangeBase } from '../../connector/exchange-base.js';
import type { UserStreamDataSource } from '../../connector/user-stream-source.js';
import type { ExchangeBaseOptions } from '../../connector/options.js';
import type { ClientOrderIdRules } from '../../core/client-order-id.js';
import type { Decimal } from '../../core/decimal.js';
import { OrderNotFoundError, UnknownOrderStatusError } from '../../core/errors.js';
import type { TradeFeeSchema } from '../../core/fees/fee-schema.js';
import type { ReadonlyInFlightOrder } from '../../core/orders/in-flight-order.js';
import type { OpenOrder } from '../../core/orders/open-order.js';
import type { OrderUpdate, TradeUpdate } from '../../core/orders/updates.js';
import { OrderType, TradeType } from '../../core/types.js';
import { RateLimiter } from '../../net/rate-limiter.js';
import { RestClient, type RestClientOptions } from '../../net/rest-client.js';
import type { RestRequest } from '../../net/rest-types.js';
import { TimeSynchronizer } from '../../net/time-sync.js';
import { BinanceAuth } from './auth.js';
import {
  DEFAULT_FEE_SCHEMA,
  EXCHANGE_NAME,
  LIMIT_IDS,
  PATHS,
  RATE_LIMITS,
  clientOrderIdRules,
  toBinanceOrderType,
  urlsFor,
  type BinanceEnvironment,
  type BinanceLimitId,
  type BinanceUrls,
} from './constants.js';
import { BinanceOrderBookSource } from './order-book-source.js';
import { accountTradeToUpdate, binanceErrorMapper, binanceUsageReader, parseAccount, parseExchangeInfo, parseMyTrades, parseOrder, parseOrderAck, parseOrderList, toOpenOrder, type ParseFailure } from './parse.js';
import { withExchangeQuoteAmounts } from './quote-amount.js';
import { BinanceUserStreamSource } from './user-stream-source.js';
import type { BinanceWsTuning } from './ws-tuning.js';

export interface BinanceConnectorOptions {
  apiKey: string;
  apiSecret: string;
  /** Where the exchange is: `simulatorUrls(sim)` for the simulator. Default: `environment`'s URLs. */
  urls?: BinanceUrls;
  /** Default `production`. Ignored when `urls` is given. */
  environment?: BinanceEnvironment;
  /** Sent with every signed request. Default 5000 ms. */
  recvWindowMs?: number;
  /** Timeout of every REST request but creates. Default 10 000 ms. */
  requestTimeoutMs?: number;
  /** Timeout of an order create: past it the outcome is unknown and a query settles it. Default 10 000 ms. */
  createTimeoutMs?: number;
  /** Server time re-measured this often. Default 60 000 ms. */
  timeSyncIntervalMs?: number;
  /** REST client details (retries of reads, connections). */
  rest?: Pick<RestClientOptions, 'retry' | 'connections' | 'keepAliveTimeoutMs' | 'connectTimeoutMs' | 'retryAfterDefaults'>;
  /** Heartbeats, timeouts and reconnect backoff of the market stream and user stream connections. */
  ws?: BinanceWsTuning;
  /** Levels per side in a depth snapshot. Default 1000. */
  depthSnapshotLimit?: number;
}

/** The most trades one myTrades request returns. */
const TRADES_PAGE = 1000;

/**
 * Binance spot for the exchange base: REST requests signed with HMAC-SHA256 through one rate
 * limiter and one keep-alive pool, server time kept by a TimeSynchronizer, orders by client id
 * (`newClientOrderId`, `origClientOrderId`), fills from `myTrades` by order id, balances from
 * `account`, rules and symbols from `exchangeInfo`, order books from the market streams and the
 * user data over the WebSocket API.
 */
export class BinanceConnector implements ExchangeConnector {
  readonly name = EXCHANGE_NAME;
  readonly clientOrderIdRules: ClientOrderIdRules = clientOrderIdRules();
  readonly defaultFeeSchema: TradeFeeSchema = DEFAULT_FEE_SCHEMA;
  readonly recvWindowMs: number;
  readonly httpClient: RestClient<BinanceLimitId>;
  readonly networkCheckRequest: RestRequest<BinanceLimitId> = { path: PATHS.ping, limitId: LIMIT_IDS.ping };
  readonly tradingRulesRequest: RestRequest<BinanceLimitId> = { path: PATHS.exchangeInfo, limitId: LIMIT_IDS.exchangeInfo };
  readonly urls: BinanceUrls;
  readonly limiter: RateLimiter<BinanceLimitId>;
  readonly timeSync: TimeSynchronizer;
  private readonly auth: BinanceAuth;
  private readonly createTimeoutMs: number | undefined;
  /** Each pair's quote precision from the last rules, to give the create answer's fills the exchange's quote amounts. */
  private quoteIncrements: ReadonlyMap<string, Decimal> = new Map();

  constructor(
    private readonly context: ConnectorContext,
    private readonly options: BinanceConnectorOptions,
  ) {
    this.urls = options.urls ?? urlsFor(options.environment ?? 'production');
    this.auth = new BinanceAuth(options.apiKey, options.apiSecret, options.recvWindowMs !== undefined ? { recvWindowMs: options.recvWindowMs } : {});
    this.recvWindowMs = this.auth.recvWindowMs;
    this.createTimeoutMs = options.createTimeoutMs;
    const logger = context.logger;
    this.limiter = new RateLimiter(RATE_LIMITS, { logger });
    this.timeSync = new TimeSynchronizer({
      fetchServerTime: async () => (await this.httpClient.request<{ serverTime: number }>({ path: PATHS.time, limitId: LIMIT_IDS.time })).serverTime,
      logger,
      ...(options.timeSyncIntervalMs !== undefined && { refreshIntervalMs: options.timeSyncIntervalMs }),
    });
    this.httpClient = new RestClient<BinanceLimitId>({
      ...options.rest,
      baseUrl: this.urls.restUrl,
      limiter: this.limiter,
      signer: this.auth,
      timeSync: this.timeSync,
      errorMapper: binanceErrorMapper(),
      usageReader: binanceUsageReader,
      logger,
      ...(options.requestTimeoutMs !== undefined && { timeoutMs: options.requestTimeoutMs }),
    });
  }

  serverTime(): number {
    return this.timeSync.now();
  }

  async start(): Promise<void> {
    await this.timeSync.start();
  }

  async stop(): Promise<void> {
    this.timeSync.stop();
  }

  async close(): Promise<void> {
    this.timeSync.stop();
    await this.httpClient.close();
  }

  formatTradingRules(body: unknown): FormattedTradingRules {
    const parsed = parseExchangeInfo(body);
    if (!parsed.ok) throw parsed.error;
    const markets = parsed.value;
    this.quoteIncrements = new Map([...markets.tradingRules].map(([pair, rule]) => [pair, rule.minQuoteAmountIncrement]));
    return { rules: markets.tradingRules, symbolToPair: markets.symbolToPair, skipped: markets.skipped.map(describe) };
  }

  supportedOrderTypes(): readonly OrderType[] {
    return [OrderType.LIMIT, OrderType.LIMIT_MAKER, OrderType.MARKET];
  }

  async placeOrder(request: PlaceOrderRequest): Promise<PlacedOrder> {
    const { type, timeInForce } = toBinanceOrderType(request.orderType);
    const body = await this.httpClient.request({
      method: 'POST',
      path: PATHS.order,
      signed: true,
      limitId: LIMIT_IDS.createOrder,
      body: {
        symbol: this.context.symbols.symbolOf(request.tradingPair),
        side: request.tradeType === TradeType.BUY ? 'BUY' : 'SELL',
        type,
        timeInForce,
        quantity: request.amount.toFixed(),
        price: request.price?.toFixed(),
        newClientOrderId: request.clientOrderId,
        newOrderRespType: 'FULL',
      },
      ...(this.createTimeoutMs !== undefined && { timeoutMs: this.createTimeoutMs }),
    });
    const symbols = this.context.symbols.symbolToPair;
    const full = parseOrder(body, symbols);
    if (full.ok) {
      const { order, orderUpdate } = full.value;
      const tradeUpdates = withExchangeQuoteAmounts(full.value.tradeUpdates, this.quoteIncrements.get(request.tradingPair));
      return { exchangeOrderId: order.exchangeOrderId, timestamp: order.updateTimestamp, orderUpdate, tradeUpdates };
    }
    const ack = parseOrderAck(body, symbols);
    if (ack.ok) return { exchangeOrderId: ack.value.exchangeOrderId, timestamp: ack.value.transactTime };
    // Accepted (an HTTP success) but unreadable: what became of the order is for a query to say.
    throw new UnknownOrderStatusError(`POST ${PATHS.order}: the answer could not be read (${full.error.message})`, { cause: full.error });
  }

  async cancelOrder(order: ReadonlyInFlightOrder): Promise<CancelledOrder> {
    const body = await this.httpClient.request({
      method: 'DELETE',
      path: PATHS.order,
      signed: true,
      limitId: LIMIT_IDS.cancelOrder,
      params: { symbol: this.context.symbols.symbolOf(order.tradingPair), origClientOrderId: order.clientOrderId },
    });
    const parsed = parseOrder(body, this.context.symbols.symbolToPair);
    if (!parsed.ok) throw new UnknownOrderStatusError(`DELETE ${PATHS.order}: the answer could not be read (${parsed.error.message})`, { cause: parsed.error });
    return { orderUpdate: parsed.value.orderUpdate };
  }

  /**
   * An acknowledged order by its exchange id: Binance keeps client ids unique only among open
   * orders, so by client id a "no such order" could be about another order. An answer naming
   * another client id (an exchange that was reset reuses order ids) is not this order.
   */
  async queryOrder(order: ReadonlyInFlightOrder): Promise<OrderUpdate> {
    const byExchangeId = order.isAcknowledged && order.exchangeOrderId !== undefined;
    const body = await this.httpClient.request({
      path: PATHS.order,
      signed: true,
      limitId: LIMIT_IDS.queryOrder,
      params: {
        symbol: this.context.symbols.symbolOf(order.tradingPair),
        ...(byExchangeId ? { orderId: order.exchangeOrderId } : { origClientOrderId: order.clientOrderId }),
      },
    });
    const parsed = parseOrder(body, this.context.symbols.symbolToPair);
    if (!parsed.ok) throw parsed.error;
    const update = parsed.value.orderUpdate;
    if (update.clientOrderId !== order.clientOrderId) {
      throw new OrderNotFoundError(`order ${order.exchangeOrderId ?? ''} on the exchange is ${update.clientOrderId}, not ${order.clientOrderId}`);
    }
    return update;
  }

  async queryFills(order: ReadonlyInFlightOrder, exchangeOrderId: string): Promise<readonly TradeUpdate[]> {
    const symbol = this.context.symbols.symbolOf(order.tradingPair);
    const owner = { clientOrderId: order.clientOrderId, exchangeOrderId };
    const out: TradeUpdate[] = [];
    let fromId: number | undefined;
    for (;;) {
      const body = await this.httpClient.request<unknown[]>({
        path: PATHS.myTrades,
        signed: true,
        limitId: LIMIT_IDS.myTradesForOrder,
        params: { symbol, orderId: exchangeOrderId, fromId, limit: TRADES_PAGE },
      });
      const parsed = parseMyTrades(body, this.context.symbols.symbolToPair, owner);
      if (!parsed.ok) throw parsed.error;
      for (const skipped of parsed.value.skipped) this.context.logger.warn({ err: skipped.error.message }, 'a myTrades entry could not be read: skipped');
      out.push(...parsed.value.trades);
      const page = Array.isArray(body) ? body.length : 0;
      const last = parsed.value.trades.at(-1);
      if (page < TRADES_PAGE || last === undefined) return out;
      fromId = Number(last.tradeId) + 1;
    }
  }

  async fetchAccountTrades(tradingPair: string, since: { readonly afterTradeId?: string; readonly startTime?: number }): Promise<AccountTradesPage> {
    const window = since.afterTradeId !== undefined ? { fromId: Number(since.afterTradeId) + 1 } : { startTime: since.startTime };
    const body = await this.httpClient.request<unknown[]>({
      path: PATHS.myTrades,
      signed: true,
      limitId: LIMIT_IDS.myTrades,
      params: { symbol: this.context.symbols.symbolOf(tradingPair), ...window, limit: TRADES_PAGE },
    });
    const parsed = parseMyTrades(body, this.context.symbols.symbolToPair, () => undefined);
    if (!parsed.ok) throw parsed.error;
    for (const skipped of parsed.value.skipped) this.context.logger.warn({ err: skipped.error.message }, 'a myTrades entry could not be read: skipped');
    const trades = parsed.value.unmatched.map((t) => ({ tradeId: t.tradeId, exchangeOrderId: t.exchangeOrderId, toUpdate: (clientOrderId: string) => accountTradeToUpdate(t, clientOrderId) }));
    return { trades, full: Array.isArray(body) && body.length >= TRADES_PAGE };
  }

  async lookupClientOrderId(tradingPair: string, exchangeOrderId: string): Promise<string | undefined> {
    try {
      const body = await this.httpClient.request({
        path: PATHS.order,
        signed: true,
        limitId: LIMIT_IDS.queryOrder,
        params: { symbol: this.context.symbols.symbolOf(tradingPair), orderId: exchangeOrderId },
      });
      const parsed = parseOrder(body, this.context.symbols.symbolToPair);
      if (!parsed.ok) throw parsed.error;
      return parsed.value.orderUpdate.clientOrderId;
    } catch (err) {
      if (err instanceof OrderNotFoundError) return undefined;
      throw err;
    }
  }

  async fetchBalances(): Promise<BalanceSnapshot> {
    const body = await this.httpClient.request({ path: PATHS.account, signed: true, limitId: LIMIT_IDS.account, params: { omitZeroBalances: true } });
    const parsed = parseAccount(body);
    if (!parsed.ok) throw parsed.error;
    return { balances: parsed.value.balances, updateTime: parsed.value.updateTime };
  }

  async fetchOpenOrders(): Promise<readonly OpenOrder[]> {
    const body = await this.httpClient.request({ path: PATHS.openOrders, signed: true, limitId: LIMIT_IDS.openOrdersAllSymbols });
    const parsed = parseOrderList(body, this.context.symbols.symbolToPair);
    if (!parsed.ok) throw parsed.error;
    for (const skipped of parsed.value.skipped) {
      if (skipped.reason !== 'unknown_symbol') this.context.logger.warn({ err: skipped.error.message }, 'an open order could not be read: skipped');
    }
    return parsed.value.orders.map((o) => toOpenOrder(o.order)).filter((o): o is OpenOrder => o !== undefined);
  }

  createOrderBookDataSource(): BinanceOrderBookSource {
    return new BinanceOrderBookSource({
      streamUrl: this.urls.streamUrl,
      rest: this.httpClient,
      symbols: () => this.context.symbols,
      limiter: this.limiter,
      logger: this.context.logger,
      ...(this.options.ws !== undefined && { ws: this.options.ws }),
      ...(this.options.depthSnapshotLimit !== undefined && { snapshotLimit: this.options.depthSnapshotLimit }),
    });
  }

  createUserStreamDataSource(): UserStreamDataSource {
    return new BinanceUserStreamSource({
      wsApiUrl: this.urls.wsApiUrl,
      auth: this.auth,
      timeSync: this.timeSync,
      symbols: () => this.context.symbols,
      limiter: this.limiter,
      logger: this.context.logger,
      // lastRecvTime on the base's clock: the base measures the stream's silence with it.
      now: () => this.context.clock.now(),
      ...(this.options.ws !== undefined && { ws: this.options.ws }),
    });
  }
}

function describe(failure: ParseFailure): string {
  return failure.error.message;
}

export type BinanceExchangeOptions = BinanceConnectorOptions & ExchangeBaseOptions;

/**
 * The Binance spot exchange: the generic exchange base over the Binance connector. Against the
 * simulator: `new BinanceExchange({ apiKey, apiSecret, urls: simulatorUrls(sim), ... })`.
 */
export class BinanceExchange extends ExchangeBase {
  declare readonly connector: BinanceConnector;

  constructor(options: BinanceExchangeOptions) {
    super((context) => new BinanceConnector(context, options), options);
  }
}
