import { OrderBook } from './book.js';
import type { Trade } from './events.js';
import { formatScaled } from './fixed.js';
import type { Order } from './order.js';
import { orderCodec, tradeCodec } from './history.js';
import { PackedRing } from './packed-ring.js';
import { CompiledRules, DEFAULT_RULES, InvalidMarketError, type MarketRules } from './rules.js';
import { RollingStats } from './stats.js';
import { STP_MODES, type MarketStatus, type StpMode } from './types.js';

/** How a market is declared: its pair, asset precisions and rules (defaults fill what is left out). */
export interface MarketSpec {
  /** `BASE-QUOTE`, e.g. `BTC-USDT`. */
  pair: string;
  /** Decimals of the base and quote assets (8 by default, as on Binance). */
  basePrecision?: number;
  quotePrecision?: number;
  rules?: Partial<MarketRules>;
  status?: MarketStatus;
  /** Self-trade prevention applied when an order names none; EXPIRE_MAKER by default, as in production. */
  defaultStp?: StpMode;
  allowedStp?: readonly StpMode[];
  quoteOrderQtyMarketAllowed?: boolean;
  /** A starting fair price for the market activity (a decimal string). */
  initialPrice?: string;
}

/** A run of trades by one taker order at one price (Binance's aggTrade). */
export interface AggTrade {
  readonly id: number;
  readonly price: number;
  readonly lots: number;
  readonly firstTradeId: number;
  readonly lastTradeId: number;
  readonly time: number;
  readonly buyerIsMaker: boolean;
}

/** One account's orders and fills on one market: its open orders and a window of recent history. */
export class AccountMarket {
  /** Open orders by id, oldest first. */
  readonly open = new Map<number, Order>();
  /** Open orders by client order id (unique among open orders). */
  readonly openByClientId = new Map<string, Order>();
  /** Recently closed orders, oldest first. */
  readonly closed: PackedRing<Order>;
  /** The account's trades, each once (a self-trade is both its buy and its sell). */
  readonly fills: PackedRing<Trade>;

  constructor(pair: string, accountId: number, idSalt: number, limits: HistoryLimits) {
    this.closed = new PackedRing(limits.ordersPerAccount, orderCodec(pair, accountId, idSalt));
    this.fills = new PackedRing(limits.fillsPerAccount, tradeCodec(pair));
  }
}

export interface HistoryLimits {
  /** Closed orders kept per account and market (queries by id, allOrders). */
  ordersPerAccount: number;
  /** Fills kept per account and market (myTrades). */
  fillsPerAccount: number;
  /** Public trades kept per market (recent trades, aggTrades). */
  tradesPerMarket: number;
}

/** An asset: capitals and digits, Unicode included (Binance lists UTF-8 symbols since 2025-12). */
export const ASSET = /^[\p{Lu}\p{Lo}\p{Nd}]{1,20}$/u;
const PAIR = /^([\p{Lu}\p{Lo}\p{Nd}]{1,20})-([\p{Lu}\p{Lo}\p{Nd}]{1,20})$/u;

export function splitPair(pair: string): { base: string; quote: string } {
  const m = PAIR.exec(pair);
  if (!m) throw new InvalidMarketError(`pair must look like BASE-QUOTE in capitals, got ${JSON.stringify(pair)}`);
  return { base: m[1] as string, quote: m[2] as string };
}

/** A market: its rules, its book, its counters and its bounded history. */
export class Market {
  readonly base: string;
  readonly quote: string;
  readonly basePrecision: number;
  readonly quotePrecision: number;
  rules: CompiledRules;
  status: MarketStatus;
  defaultStp: StpMode;
  allowedStp: readonly StpMode[];
  quoteOrderQtyMarketAllowed: boolean;
  initialPrice: string | null;

  readonly book = new OrderBook();
  /** Advanced by every change of a book level: the depth `lastUpdateId`. */
  updateId = 0;
  nextOrderId = 1;
  nextTradeId = 1;
  nextAggTradeId = 1;
  /** The taker order and price of the latest aggregate trade, which the next trade may extend. */
  lastAggTaker = -1;
  lastAggPrice = -1;
  nextPreventedMatchId = 0;
  /** Commissions collected in the base and quote asset: the exchange's revenue. */
  baseFees = 0;
  quoteFees = 0;

  /** The public tape: recent trades, oldest first. */
  readonly trades: PackedRing<Trade>;
  readonly stats = new RollingStats();
  private readonly accounts = new Map<number, AccountMarket>();

  constructor(
    readonly pair: string,
    spec: MarketSpec,
    private readonly limits: HistoryLimits,
    /** Salts the client order ids generated for this market's orders. */
    readonly idSalt = 0,
  ) {
    const { base, quote } = splitPair(pair);
    this.base = base;
    this.quote = quote;
    this.basePrecision = checkPrecision(spec.basePrecision ?? 8, 'basePrecision');
    this.quotePrecision = checkPrecision(spec.quotePrecision ?? 8, 'quotePrecision');
    this.rules = new CompiledRules({ ...DEFAULT_RULES, ...spec.rules }, this.basePrecision, this.quotePrecision);
    this.status = spec.status ?? 'TRADING';
    this.allowedStp = spec.allowedStp ?? STP_MODES;
    this.defaultStp = spec.defaultStp ?? 'EXPIRE_MAKER';
    if (!this.allowedStp.includes(this.defaultStp)) throw new InvalidMarketError(`default STP mode ${this.defaultStp} is not among the allowed modes`);
    this.quoteOrderQtyMarketAllowed = spec.quoteOrderQtyMarketAllowed ?? true;
    this.initialPrice = spec.initialPrice ?? null;
    this.trades = new PackedRing(limits.tradesPerMarket, tradeCodec(pair), limits.tradesPerMarket);
  }

  /** Replaces some rules. Changing the units prices or quantities are counted in needs an empty book. */
  setRules(rules: Partial<MarketRules>): void {
    const next = new CompiledRules({ ...this.rules.source, ...rules }, this.basePrecision, this.quotePrecision);
    if (!next.sameUnits(this.rules) && !this.book.isEmpty) {
      throw new InvalidMarketError(`${this.pair}: these rules change the price or quantity decimals; cancel the open orders first`);
    }
    if (!next.sameUnits(this.rules)) {
      // History records keep the old units; start the market's history afresh rather than misprint it.
      this.accounts.clear();
    }
    this.rules = next;
  }

  accountState(accountId: number): AccountMarket {
    let state = this.accounts.get(accountId);
    if (state === undefined) {
      state = new AccountMarket(this.pair, accountId, this.idSalt, this.limits);
      this.accounts.set(accountId, state);
    }
    return state;
  }

  peekAccountState(accountId: number): AccountMarket | undefined {
    return this.accounts.get(accountId);
  }

  /** Aggregate trades rebuilt from the tape, oldest first (the oldest may be cut by the tape's window). */
  aggTrades(): AggTrade[] {
    const out: AggTrade[] = [];
    let open: { id: number; price: number; lots: number; firstTradeId: number; lastTradeId: number; time: number; buyerIsMaker: boolean } | null = null;
    for (let i = 0; i < this.trades.size; i++) {
      const t = this.trades.at(i) as Trade;
      if (open !== null && open.id === t.aggId) {
        open.lots += t.lots;
        open.lastTradeId = t.id;
        continue;
      }
      if (open !== null) out.push(open);
      open = { id: t.aggId, price: t.price, lots: t.lots, firstTradeId: t.id, lastTradeId: t.id, time: t.time, buyerIsMaker: t.buyerIsMaker };
    }
    if (open !== null) out.push(open);
    return out;
  }

  /** A price in this market's units, printed with the quote asset's decimals ("65000.00000000"). */
  formatPrice(units: number): string {
    return formatScaled(units, this.rules.priceScale, this.quotePrecision);
  }

  /** A quantity in lots, printed with the base asset's decimals. */
  formatQty(lots: number): string {
    return formatScaled(lots, this.rules.qtyScale, this.basePrecision);
  }

  formatQuote(units: number): string {
    return formatScaled(units, this.quotePrecision, this.quotePrecision);
  }

  formatBase(units: number): string {
    return formatScaled(units, this.basePrecision, this.basePrecision);
  }
}

function checkPrecision(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 18) throw new InvalidMarketError(`${name} must be an integer from 0 to 18`);
  return value;
}
