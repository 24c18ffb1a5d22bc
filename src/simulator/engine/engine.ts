import { Account, type AccountOptions, type Balance } from './account.js';
import { ClientIdGenerator, hashString } from './client-ids.js';
import type { BookSide } from './book.js';
import type { EngineListener, EngineTransaction, LevelQuantity, Trade } from './events.js';
import { parseScaledBig } from './fixed.js';
import { InvalidMarketError, type MarketRules } from './rules.js';
import { ASSET, Market, type AccountMarket, type HistoryLimits, type MarketSpec } from './market.js';
import { Matcher, type Execution } from './matcher.js';
import type { Order } from './order.js';
import { ORDER_ID } from './history.js';
import { TransactionRecorder } from './recorder.js';
import type { CancelRestriction, MarketStatus, Rejection } from './types.js';
import { checkOrder, isRejection, type CheckedOrder, type NewOrder } from './validate.js';

export interface EngineOptions {
  /** The exchange clock in ms; Date.now by default. */
  now?: () => number;
  /** Seeds the generator of client order ids for orders sent without one. */
  seed?: number;
  history?: Partial<HistoryLimits>;
  /** Called when a listener throws; the engine carries on either way. */
  onListenerError?: (error: unknown) => void;
}

export interface CancelRequest {
  accountId: number;
  pair: string;
  orderId?: number;
  clientOrderId?: string;
  /** The cancel's own client id (Binance's newClientOrderId on a cancel); generated when left out. */
  cancelClientOrderId?: string;
  restriction?: CancelRestriction;
}

export interface Cancellation {
  readonly order: Order;
  readonly cancelClientOrderId: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

/** A trade as one of its parties sees it. */
export interface AccountTrade {
  readonly trade: Trade;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
  readonly orderId: number;
  /** In units of `commissionAsset`: the asset this party received. */
  readonly commission: number;
  readonly commissionAsset: string;
}

export interface DepthSnapshot {
  readonly lastUpdateId: number;
  /** Best first. */
  readonly bids: LevelQuantity[];
  readonly asks: LevelQuantity[];
}

export const DEFAULT_HISTORY: HistoryLimits = { ordersPerAccount: 1000, fillsPerAccount: 1000, tradesPerMarket: 1000 };

/**
 * The exchange-agnostic matching engine: markets, accounts and their balances, orders and trades.
 * Synchronous and single-threaded: every call is one atomic transaction, announced to listeners
 * when it is complete.
 */
export class Engine {
  readonly markets = new Map<string, Market>();
  readonly accounts = new Map<number, Account>();
  /** Decimals of each asset, shared by every market that trades it. */
  readonly assets = new Map<string, number>();
  readonly now: () => number;
  private readonly recorder = new TransactionRecorder();
  private readonly matcher: Matcher;
  private readonly listeners = new Set<EngineListener>();
  private readonly clientIds: ClientIdGenerator;
  private readonly history: HistoryLimits;
  private readonly onListenerError: (error: unknown) => void;
  private nextAccountId = 1;
  private readonly supply = new Map<string, number>();
  private readonly seed: number;

  constructor(options: EngineOptions = {}) {
    this.now = options.now ?? Date.now;
    this.seed = options.seed ?? 0;
    this.clientIds = new ClientIdGenerator(this.seed);
    this.history = { ...DEFAULT_HISTORY, ...options.history };
    this.onListenerError = options.onListenerError ?? (() => undefined);
    this.matcher = new Matcher({
      recorder: this.recorder,
      account: (id) => this.accounts.get(id) as Account,
    });
  }

  /** Listens to every transaction; returns the function that stops listening. */
  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    this.recorder.recording = true;
    return () => {
      this.listeners.delete(listener);
      this.recorder.recording = this.listeners.size > 0;
    };
  }

  // ---- markets --------------------------------------------------------------------------------

  addMarket(spec: MarketSpec): Market {
    if (this.markets.has(spec.pair)) throw new InvalidMarketError(`market ${spec.pair} already exists`);
    const market = new Market(spec.pair, spec, this.history, hashString(spec.pair, this.seed));
    for (const [asset, precision] of [[market.base, market.basePrecision], [market.quote, market.quotePrecision]] as const) {
      const known = this.assets.get(asset);
      if (known !== undefined && known !== precision) {
        throw new InvalidMarketError(`${asset} has ${known} decimals in other markets, not ${precision}`);
      }
    }
    this.assets.set(market.base, market.basePrecision);
    this.assets.set(market.quote, market.quotePrecision);
    this.markets.set(spec.pair, market);
    return market;
  }

  market(pair: string): Market | undefined {
    return this.markets.get(pair);
  }

  setMarketRules(pair: string, rules: Partial<MarketRules>): void {
    this.requireMarket(pair).setRules(rules);
  }

  setMarketStatus(pair: string, status: MarketStatus): void {
    this.requireMarket(pair).status = status;
  }

  // ---- accounts -------------------------------------------------------------------------------

  createAccount(options: AccountOptions = {}): Account {
    const account = new Account(this.nextAccountId++, options, this.now());
    this.accounts.set(account.id, account);
    return account;
  }

  account(id: number): Account | undefined {
    return this.accounts.get(id);
  }

  /**
   * Adds `amount` (a signed decimal string) to the free balance of `asset`: a deposit or, negative,
   * a withdrawal. Announced as a transfer. Throws if the free balance would go below zero.
   */
  adjustBalance(accountId: number, asset: string, amount: string): void {
    const balance = this.balanceOf(accountId, asset);
    const negative = amount.startsWith('-');
    const delta = this.readAmount(negative ? amount.slice(1) : amount, balance.precision) * (negative ? -1 : 1);
    if (balance.free + delta < 0) throw new RangeError(`${asset} free balance of account ${accountId} would go negative`);
    this.transfer(balance, delta);
  }

  /** Sets the free balance of `asset` to `amount`, as a transfer of the difference. */
  setBalance(accountId: number, asset: string, amount: string): void {
    const balance = this.balanceOf(accountId, asset);
    const delta = this.readAmount(amount, balance.precision) - balance.free;
    if (delta !== 0) this.transfer(balance, delta);
  }

  /** Units of `asset` held by accounts (free and locked) and collected as fees. */
  supplyOf(asset: string): number {
    return this.supply.get(asset) ?? 0;
  }

  /**
   * Moves `delta` units into (or out of) the exchange. The total supply of an asset is kept within
   * 2^53 units so every balance and amount inside stays an exact integer.
   */
  private transfer(balance: Balance, delta: number): void {
    const supply = this.supplyOf(balance.asset) + delta;
    if (supply > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`the exchange's total ${balance.asset} would exceed ${Number.MAX_SAFE_INTEGER} units (10^-${balance.precision} each)`);
    }
    this.supply.set(balance.asset, supply);
    this.transact(null, () => {
      balance.free += delta;
      this.recorder.touchBalance(balance);
      this.recorder.transfer(balance, delta);
    });
  }

  private readAmount(text: string, precision: number): number {
    const units = parseScaledBig(text, precision, precision);
    if (typeof units !== 'bigint' || units > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError(`amount ${JSON.stringify(text)} is not a non-negative decimal with at most ${precision} decimals within the safe range`);
    }
    return Number(units);
  }

  private balanceOf(accountId: number, asset: string): Balance {
    const account = this.accounts.get(accountId);
    if (account === undefined) throw new RangeError(`no account ${accountId}`);
    if (!ASSET.test(asset)) throw new RangeError(`asset must be capitals and digits, got ${JSON.stringify(asset)}`);
    return account.balance(asset, this.assets.get(asset) ?? 8);
  }

  // ---- orders ---------------------------------------------------------------------------------

  /** Checks a new order as the exchange would before it reaches matching (Binance's order/test). */
  checkOrder(request: NewOrder): CheckedOrder | Rejection {
    return checkOrder(request, this.markets.get(request.pair), this.accounts.get(request.accountId), this.now());
  }

  /** Places an order: checks it, locks its funds, matches it and rests or expires what is left. */
  submitOrder(request: NewOrder): Result<Execution> {
    const checked = this.checkOrder(request);
    if (isRejection(checked)) return { ok: false, rejection: checked };
    let outcome: Execution | Rejection | undefined;
    this.transact(checked.market, (now) => {
      outcome = this.matcher.place(checked, now);
    });
    const result = outcome as Execution | Rejection;
    return isRejection(result) ? { ok: false, rejection: result } : { ok: true, value: result };
  }

  cancelOrder(request: CancelRequest): Result<Cancellation> {
    const market = this.markets.get(request.pair);
    if (market === undefined) return { ok: false, rejection: { reason: 'UNKNOWN_SYMBOL' } };
    const state = market.peekAccountState(request.accountId);
    let order: Order | undefined;
    if (request.orderId !== undefined) {
      order = state?.open.get(request.orderId);
      if (order !== undefined && request.clientOrderId !== undefined && order.clientOrderId !== request.clientOrderId) {
        return { ok: false, rejection: { reason: 'CLIENT_ID_MISMATCH' } };
      }
    } else if (request.clientOrderId !== undefined && state !== undefined) {
      order = openByClientId(state, request.clientOrderId);
    }
    if (order === undefined) return { ok: false, rejection: { reason: 'UNKNOWN_ORDER' } };
    if (request.restriction === 'ONLY_NEW' && order.status !== 'NEW') return { ok: false, rejection: { reason: 'CANCEL_RESTRICTED' } };
    if (request.restriction === 'ONLY_PARTIALLY_FILLED' && order.status !== 'PARTIALLY_FILLED') {
      return { ok: false, rejection: { reason: 'CANCEL_RESTRICTED' } };
    }
    const cancelClientOrderId = request.cancelClientOrderId ?? this.clientIds.next();
    const target = order;
    this.transact(market, (now) => this.matcher.cancel(market, target, cancelClientOrderId, now));
    return { ok: true, value: { order: target, cancelClientOrderId } };
  }

  /** Cancels every open order of the account on the market, oldest first, in one transaction. */
  cancelAllOrders(accountId: number, pair: string): Result<Cancellation[]> {
    const market = this.markets.get(pair);
    if (market === undefined) return { ok: false, rejection: { reason: 'UNKNOWN_SYMBOL' } };
    const open = [...(market.peekAccountState(accountId)?.open.values() ?? [])];
    if (open.length === 0) return { ok: false, rejection: { reason: 'UNKNOWN_ORDER' } };
    const out: Cancellation[] = [];
    this.transact(market, (now) => {
      for (const order of open) {
        const cancelClientOrderId = this.clientIds.next();
        this.matcher.cancel(market, order, cancelClientOrderId, now);
        out.push({ order, cancelClientOrderId });
      }
    });
    return { ok: true, value: out };
  }

  /** Commissions collected by the exchange, by asset (with every balance, what was deposited). */
  fees(): Map<string, number> {
    const out = new Map<string, number>();
    for (const m of this.markets.values()) {
      out.set(m.base, (out.get(m.base) ?? 0) + m.baseFees);
      out.set(m.quote, (out.get(m.quote) ?? 0) + m.quoteFees);
    }
    return out;
  }

  // ---- queries --------------------------------------------------------------------------------

  /** An order of the account by id or client id, open or still in its history window. */
  findOrder(accountId: number, pair: string, ref: { orderId?: number; clientOrderId?: string }): Order | undefined {
    const market = this.markets.get(pair);
    const state = market?.peekAccountState(accountId);
    if (market === undefined || state === undefined) return undefined;
    if (ref.orderId !== undefined) {
      const open = state.open.get(ref.orderId);
      if (open !== undefined) return open;
      for (let i = state.closed.size - 1; i >= 0; i--) {
        if (state.closed.field(i, ORDER_ID) === ref.orderId) return state.closed.at(i);
      }
      return undefined;
    }
    if (ref.clientOrderId === undefined) return undefined;
    const open = openByClientId(state, ref.clientOrderId);
    if (open !== undefined) return open;
    for (let i = state.closed.size - 1; i >= 0; i--) {
      const order = state.closed.at(i) as Order;
      if (order.clientOrderId === ref.clientOrderId) return order;
    }
    return undefined;
  }

  /** Open orders of an account, on one market or all, by market then id. */
  openOrders(accountId: number, pair?: string): Order[] {
    const markets = pair === undefined ? [...this.markets.values()] : [this.markets.get(pair)].filter((m) => m !== undefined);
    return markets.flatMap((m) => [...(m.peekAccountState(accountId)?.open.values() ?? [])]);
  }

  /** Open and recent closed orders of an account on a market, ascending by id. */
  accountOrders(accountId: number, pair: string): Order[] {
    const state = this.markets.get(pair)?.peekAccountState(accountId);
    if (state === undefined) return [];
    return [...state.closed.toArray(), ...state.open.values()].sort((a, b) => a.id - b.id);
  }

  /** An account's recent trades on a market, ascending; a self-trade appears as its buy then its sell. */
  accountTrades(accountId: number, pair: string): AccountTrade[] {
    const market = this.markets.get(pair);
    const state = market?.peekAccountState(accountId);
    if (market === undefined || state === undefined) return [];
    const out: AccountTrade[] = [];
    for (const trade of state.fills.toArray()) {
      if (trade.buyerAccountId === accountId) out.push(accountTrade(market, trade, true));
      if (trade.sellerAccountId === accountId) out.push(accountTrade(market, trade, false));
    }
    return out;
  }

  /** The best `limit` levels of each side and the update id they are current at. */
  depth(pair: string, limit: number): DepthSnapshot | undefined {
    const market = this.markets.get(pair);
    if (market === undefined) return undefined;
    const side = (book: BookSide): LevelQuantity[] => {
      const out: LevelQuantity[] = [];
      for (let i = 0; i < limit; i++) {
        const level = book.levelAt(i);
        if (level === undefined) break;
        out.push({ price: level.price, lots: level.lots });
      }
      return out;
    };
    return { lastUpdateId: market.updateId, bids: side(market.book.bids), asks: side(market.book.asks) };
  }

  private requireMarket(pair: string): Market {
    const market = this.markets.get(pair);
    if (market === undefined) throw new InvalidMarketError(`no market ${pair}`);
    return market;
  }

  /** Runs `body` as one transaction and announces it. */
  private transact(market: Market | null, body: (now: number) => void): void {
    const now = this.now();
    this.recorder.begin(market, now);
    body(now);
    const tx = this.recorder.finish();
    if (tx !== null) this.emit(tx);
  }

  private emit(tx: EngineTransaction): void {
    for (const listener of this.listeners) {
      try {
        listener(tx);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

/** An open order by client id: a client-chosen id from the index, a generated one by a scan. */
function openByClientId(state: AccountMarket, clientOrderId: string): Order | undefined {
  const own = state.openByClientId.get(clientOrderId);
  if (own !== undefined) return own;
  for (const order of state.open.values()) if (!order.hasOwnClientId && order.clientOrderId === clientOrderId) return order;
  return undefined;
}

function accountTrade(market: Market, trade: Trade, isBuyer: boolean): AccountTrade {
  return {
    trade,
    isBuyer,
    isMaker: isBuyer === trade.buyerIsMaker,
    orderId: isBuyer ? trade.buyOrderId : trade.sellOrderId,
    commission: isBuyer ? trade.buyerCommission : trade.sellerCommission,
    commissionAsset: isBuyer ? market.base : market.quote,
  };
}
