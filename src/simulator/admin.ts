import { Decimal } from '../core/decimal.js';
import type { RateLimitControl } from './binance/limits/rate-limiter.js';
import type { FaultControl } from './faults/control.js';
import type { BinanceServer } from './binance/server.js';
import { binanceSymbol } from './binance/symbols.js';
import type { KeyStore, NewKeyOptions } from './binance/keys.js';
import {
  formatScaled,
  parseRate,
  type Engine,
  type ExpiryReason,
  type Market,
  type MarketRules,
  type MarketSpec,
  type MarketStatus,
  type Order,
  type OrderKind,
  type OrderStatus,
  type Side,
  type StpMode,
  type TimeInForce,
} from './engine/index.js';
import type { SeededRandom } from './random.js';

/** An account with one API key, as the admin creates it. */
export interface AccountHandle {
  readonly accountId: number;
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface CreateAccountOptions {
  name?: string;
  /** Free balances to start with, as decimal strings: `{ USDT: '1000' }`. */
  balances?: Record<string, string>;
  /** Commission rates as decimal fractions; 0.001 (0.1 %) by default, as on Binance. */
  makerRate?: string;
  takerRate?: string;
  /** Whether the key may trade (TRADE endpoints); true by default. */
  canTrade?: boolean;
  apiKey?: string;
  apiSecret?: string;
}

export interface BalanceView {
  readonly free: Decimal;
  readonly locked: Decimal;
}

/** An order as the exchange knows it. */
export interface OrderView {
  readonly pair: string;
  readonly symbol: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly accountId: number;
  readonly side: Side;
  readonly type: OrderKind;
  readonly timeInForce: TimeInForce;
  readonly status: OrderStatus;
  /** Zero for market orders. */
  readonly price: Decimal;
  readonly origQty: Decimal;
  readonly executedQty: Decimal;
  readonly cumulativeQuoteQty: Decimal;
  readonly preventedQty: Decimal;
  readonly selfTradePreventionMode: StpMode;
  readonly expiryReason: ExpiryReason | null;
  readonly time: number;
  readonly updateTime: number;
}

/** One of an account's fills. */
export interface FillView {
  readonly pair: string;
  readonly tradeId: number;
  readonly orderId: number;
  readonly side: Side;
  readonly isMaker: boolean;
  readonly price: Decimal;
  readonly qty: Decimal;
  readonly quoteQty: Decimal;
  readonly commission: Decimal;
  readonly commissionAsset: string;
  readonly time: number;
}

export interface BookView {
  readonly lastUpdateId: number;
  /** [price, quantity], best first. */
  readonly bids: [Decimal, Decimal][];
  readonly asks: [Decimal, Decimal][];
}

/**
 * The simulator's control panel for tests and tools: accounts and keys, balances, markets and their
 * rules, and the exchange's truth (orders, fills, balances, books) to compare a client's view with.
 */
export class SimulatorAdmin {
  /** Rate limits at run time: `set`, `reset`, `status(client)`, `usage(client, accountId)`. */
  readonly limits: RateLimitControl;
  /** Fault injection at run time: `inject(spec)`, `disconnect(target, mode)`, `setClockOffset(ms)`, `clear()`. */
  readonly faults: FaultControl;

  constructor(
    readonly engine: Engine,
    readonly keys: KeyStore,
    private readonly server: BinanceServer,
    private readonly random: SeededRandom | undefined,
    controls: { limits: RateLimitControl; faults: FaultControl },
  ) {
    this.limits = controls.limits;
    this.faults = controls.faults;
  }

  // ---- accounts and keys ----

  /** Creates an account with its balances and one API key. */
  createAccount(options: CreateAccountOptions = {}): AccountHandle {
    const account = this.engine.createAccount({
      ...(options.name !== undefined ? { name: options.name } : {}),
      ...(options.makerRate !== undefined ? { makerRate: options.makerRate } : {}),
      ...(options.takerRate !== undefined ? { takerRate: options.takerRate } : {}),
    });
    for (const [asset, amount] of Object.entries(options.balances ?? {})) this.engine.setBalance(account.id, asset, amount);
    const keyOptions: NewKeyOptions = {};
    if (options.canTrade !== undefined) keyOptions.canTrade = options.canTrade;
    if (options.apiKey !== undefined) keyOptions.apiKey = options.apiKey;
    if (options.apiSecret !== undefined) keyOptions.apiSecret = options.apiSecret;
    const key = this.keys.create(account.id, keyOptions, options.apiKey === undefined ? this.random : undefined);
    return { accountId: account.id, apiKey: key.apiKey, apiSecret: key.apiSecret };
  }

  /** Adds another API key to an account. */
  createApiKey(accountId: number, options: NewKeyOptions = {}): { apiKey: string; apiSecret: string } {
    this.requireAccount(accountId);
    const key = this.keys.create(accountId, options);
    return { apiKey: key.apiKey, apiSecret: key.apiSecret };
  }

  revokeApiKey(apiKey: string): boolean {
    return this.keys.revoke(apiKey);
  }

  /** Bars an account from placing orders (-2010 "This account may not place or cancel orders."), or lets it again. */
  setCanTrade(accountId: number, canTrade: boolean): void {
    this.requireAccount(accountId).canTrade = canTrade;
  }

  /** Sets an account's commission rates (decimal fractions). */
  setCommission(accountId: number, rates: { maker?: string; taker?: string }): void {
    const account = this.requireAccount(accountId);
    if (rates.maker !== undefined) account.makerRate = parseRate(rates.maker);
    if (rates.taker !== undefined) account.takerRate = parseRate(rates.taker);
  }

  // ---- balances ----

  /** Sets the free balance of an asset (a transfer of the difference, announced as balanceUpdate). */
  setBalance(accountId: number, asset: string, amount: string | Decimal): void {
    this.engine.setBalance(accountId, asset, new Decimal(amount).toFixed());
  }

  /** Adds to (or, negative, takes from) the free balance of an asset. */
  deposit(accountId: number, asset: string, amount: string | Decimal): void {
    this.engine.adjustBalance(accountId, asset, new Decimal(amount).toFixed());
  }

  balances(accountId: number): Record<string, BalanceView> {
    const account = this.requireAccount(accountId);
    const out: Record<string, BalanceView> = {};
    for (const [asset, b] of account.balances) {
      out[asset] = { free: units(b.free, b.precision), locked: units(b.locked, b.precision) };
    }
    return out;
  }

  // ---- markets ----

  /** Adds a market; its Binance symbol (base and quote run together) must be new. */
  addMarket(spec: MarketSpec): void {
    const [base, quote] = spec.pair.split('-');
    if (this.server.context.symbols.find(`${base ?? ''}${quote ?? ''}`) !== undefined) {
      throw new RangeError(`symbol ${base ?? ''}${quote ?? ''} already names a market`);
    }
    this.engine.addMarket(spec);
  }

  setTradingRules(pair: string, rules: Partial<MarketRules>): void {
    this.engine.setMarketRules(pair, rules);
  }

  setMarketStatus(pair: string, status: MarketStatus): void {
    this.engine.setMarketStatus(pair, status);
  }

  markets(): { pair: string; symbol: string; status: MarketStatus; rules: MarketRules }[] {
    return [...this.engine.markets.values()].map((m) => ({ pair: m.pair, symbol: binanceSymbol(m), status: m.status, rules: { ...m.rules.source } }));
  }

  // ---- the exchange's truth ----

  /** An account's open and recent orders, on one market or all, ascending by id per market. */
  orders(accountId: number, options: { pair?: string; openOnly?: boolean } = {}): OrderView[] {
    return this.marketsFor(options.pair).flatMap((m) => {
      const list = options.openOnly ? this.engine.openOrders(accountId, m.pair) : this.engine.accountOrders(accountId, m.pair);
      return list.map((o) => orderView(m, o));
    });
  }

  /** One order by id, whichever account owns it (while it is open or in recent history). */
  order(pair: string, orderId: number): OrderView | undefined {
    const market = this.requireMarket(pair);
    for (const accountId of this.engine.accounts.keys()) {
      const o = this.engine.findOrder(accountId, pair, { orderId });
      if (o !== undefined) return orderView(market, o);
    }
    return undefined;
  }

  fills(accountId: number, options: { pair?: string } = {}): FillView[] {
    return this.marketsFor(options.pair).flatMap((m) =>
      this.engine.accountTrades(accountId, m.pair).map((t) => ({
        pair: m.pair,
        tradeId: t.trade.id,
        orderId: t.orderId,
        side: t.isBuyer ? 'BUY' : 'SELL',
        isMaker: t.isMaker,
        price: new Decimal(m.formatPrice(t.trade.price)),
        qty: new Decimal(m.formatQty(t.trade.lots)),
        quoteQty: units(t.trade.quote, m.quotePrecision),
        commission: units(t.commission, t.isBuyer ? m.basePrecision : m.quotePrecision),
        commissionAsset: t.commissionAsset,
        time: t.trade.time,
      })),
    );
  }

  book(pair: string, depth = 20): BookView {
    const market = this.requireMarket(pair);
    const snapshot = this.engine.depth(pair, depth);
    const level = (l: { price: number; lots: number }): [Decimal, Decimal] => [new Decimal(market.formatPrice(l.price)), new Decimal(market.formatQty(l.lots))];
    return { lastUpdateId: snapshot?.lastUpdateId ?? 0, bids: snapshot?.bids.map(level) ?? [], asks: snapshot?.asks.map(level) ?? [] };
  }

  /** Commissions the exchange collected, by asset. */
  fees(): Record<string, Decimal> {
    const out: Record<string, Decimal> = {};
    for (const [asset, amount] of this.engine.fees()) out[asset] = units(amount, this.engine.assets.get(asset) ?? 8);
    return out;
  }

  private marketsFor(pair?: string): Market[] {
    return pair === undefined ? [...this.engine.markets.values()] : [this.requireMarket(pair)];
  }

  private requireMarket(pair: string): Market {
    const market = this.engine.market(pair);
    if (market === undefined) throw new RangeError(`no market ${pair}`);
    return market;
  }

  private requireAccount(accountId: number) {
    const account = this.engine.account(accountId);
    if (account === undefined) throw new RangeError(`no account ${accountId}`);
    return account;
  }
}

function units(value: number, precision: number): Decimal {
  return new Decimal(formatScaled(value, precision, precision));
}

function orderView(market: Market, o: Order): OrderView {
  return {
    pair: market.pair,
    symbol: binanceSymbol(market),
    orderId: o.id,
    clientOrderId: o.clientOrderId,
    accountId: o.accountId,
    side: o.side,
    type: o.kind,
    timeInForce: o.timeInForce,
    status: o.status,
    price: new Decimal(market.formatPrice(o.priceTicks)),
    origQty: new Decimal(market.formatQty(o.origLots)),
    executedQty: new Decimal(market.formatQty(o.executedLots)),
    cumulativeQuoteQty: units(o.cumQuote, market.quotePrecision),
    preventedQty: new Decimal(market.formatQty(o.preventedLots)),
    selfTradePreventionMode: o.stp,
    expiryReason: o.expiryReason,
    time: o.time,
    updateTime: o.updateTime,
  };
}
