import { commissionOf, type Account } from './account.js';
import type { BookSide, Level } from './book.js';
import type { Trade } from './events.js';
import type { AccountMarket, Market } from './market.js';
import { Order } from './order.js';
import type { TransactionRecorder } from './recorder.js';
import type { CheckedOrder } from './validate.js';
import type { ExpiryReason, Rejection } from './types.js';

/** A self-trade the engine prevented while matching an order. */
export interface PreventedMatch {
  readonly preventedMatchId: number;
  readonly makerOrderId: number;
  readonly price: number;
  /** Lots expired on the maker (EXPIRE_MAKER, EXPIRE_BOTH), else 0. */
  readonly makerPreventedLots: number;
  /** Lots expired on the taker (EXPIRE_TAKER, EXPIRE_BOTH), else 0. */
  readonly takerPreventedLots: number;
}

export interface Execution {
  readonly order: Order;
  /** The order's fills as the taker, in match order. */
  readonly trades: Trade[];
  readonly prevented: PreventedMatch[];
}

/** What the matcher needs from the engine around it. */
export interface MatcherContext {
  readonly recorder: TransactionRecorder;
  account(id: number): Account;
}

/**
 * Price-time priority matching for one market. Every method runs inside a transaction the engine
 * opened; money moves in whole asset units, quantities in lots.
 */
export class Matcher {
  constructor(private readonly ctx: MatcherContext) {}

  /** Places a checked order: locks funds, matches it, rests or expires the remainder. */
  place(checked: CheckedOrder, now: number): Execution | Rejection {
    const { market, account, request } = checked;
    const clientOrderId = request.clientOrderId ?? null;
    if (clientOrderId !== null && market.peekAccountState(account.id)?.openByClientId.has(clientOrderId)) return { reason: 'DUPLICATE_ORDER' };
    const isBuy = request.side === 'BUY';
    const kind = request.type;
    if (kind === 'LIMIT_MAKER' && market.book.crosses(isBuy, checked.price)) return { reason: 'WOULD_TAKE' };

    let lots = checked.lots;
    let lock: number;
    const rules = market.rules;
    const opposite = isBuy ? market.book.asks : market.book.bids;
    if (kind !== 'MARKET') {
      lock = isBuy ? rules.notionalCeil(checked.price, lots) : rules.baseUnits(lots);
    } else if (lots > 0) {
      lock = isBuy ? this.costOfBuying(market, opposite, account.id, checked.stp, lots) : rules.baseUnits(lots);
    } else {
      if (opposite.depth === 0) return { reason: 'NO_LIQUIDITY' };
      lots = this.lotsForQuote(market, opposite, account.id, checked.stp, checked.quoteUnits);
      lock = isBuy ? checked.quoteUnits : rules.baseUnits(lots);
    }
    const lockBalance = account.balance(isBuy ? market.quote : market.base, isBuy ? market.quotePrecision : market.basePrecision);
    if (lockBalance.free < lock) return { reason: 'INSUFFICIENT_BALANCE' };

    const order = new Order(
      market.nextOrderId++,
      market.pair,
      account.id,
      clientOrderId,
      market.idSalt,
      request.side,
      kind,
      kind === 'LIMIT' ? checked.timeInForce : 'GTC',
      checked.price,
      lots,
      kind === 'MARKET' && checked.lots === 0 ? checked.quoteUnits : 0,
      checked.stp,
      now,
    );
    order.workingTime = now;
    if (request.strategyId !== undefined) order.strategyId = request.strategyId;
    if (request.strategyType !== undefined) order.strategyType = request.strategyType;
    const recorder = this.ctx.recorder;
    lockBalance.free -= lock;
    lockBalance.locked += lock;
    order.lockedUnits = lock;
    recorder.touchBalance(lockBalance);
    recorder.order(order, 'NEW');

    const trades: Trade[] = [];
    const prevented: PreventedMatch[] = [];
    const fok = kind === 'LIMIT' && order.timeInForce === 'FOK';
    if (!fok || this.available(opposite, order) >= order.origLots) this.match(market, order, opposite, trades, prevented, now);

    if (order.status === 'FILLED') {
      this.close(market, order);
    } else if (order.isOpen && order.remainingLots > 0) {
      if (kind !== 'MARKET' && order.timeInForce === 'GTC') this.rest(market, order, now);
      else this.expire(market, order, expiryReasonOf(order, fok), now);
    } else if (order.isOpen) {
      // A market order by quote amount that found nothing to take (remaining 0 of 0 lots).
      this.expire(market, order, 'INSUFFICIENT_LIQUIDITY', now);
    }
    return { order, trades, prevented };
  }

  /** Cancels an open order; the event carries the cancel request's own client id. */
  cancel(market: Market, order: Order, cancelClientOrderId: string, now: number): void {
    market.book[order.side === 'BUY' ? 'bids' : 'asks'].remove(order);
    this.ctx.recorder.touchLevel(market, order.side === 'BUY', order.priceTicks);
    order.status = 'CANCELED';
    order.updateTime = now;
    this.close(market, order);
    this.ctx.recorder.order(order, 'CANCELED', null, false, 0, null, cancelClientOrderId);
  }

  private match(market: Market, taker: Order, opposite: BookSide, trades: Trade[], prevented: PreventedMatch[], now: number): void {
    const isBuy = taker.side === 'BUY';
    const limit = taker.kind === 'MARKET' ? 0 : taker.priceTicks;
    const byQuote = taker.origQuoteUnits > 0;
    const rules = market.rules;
    let level = opposite.best();
    while (level !== undefined && taker.remainingLots > 0) {
      if (limit > 0 && (isBuy ? level.price > limit : level.price < limit)) return;
      let maker = level.head;
      while (maker !== null && taker.remainingLots > 0) {
        const next = maker.next;
        if (maker.accountId === taker.accountId && taker.stp !== 'NONE') {
          if (!this.preventSelfTrade(market, taker, maker, prevented, now)) return;
        } else {
          let lots = Math.min(taker.remainingLots, maker.remainingLots);
          if (byQuote || (isBuy && taker.kind === 'MARKET')) {
            // Never spend more than the order holds, whatever the rounding of earlier fills.
            const budget = byQuote && !isBuy ? taker.origQuoteUnits - taker.cumQuote : taker.lockedUnits;
            lots = Math.min(lots, floorToStep(rules.lotsForQuote(level.price, budget), rules.stepLots));
            if (lots <= 0) return;
          }
          trades.push(this.fill(market, taker, maker, level, lots, now));
        }
        maker = next;
      }
      level = opposite.best();
    }
  }

  /** Applies the taker's STP mode to a match with its own resting order; false when the taker is done. */
  private preventSelfTrade(market: Market, taker: Order, maker: Order, prevented: PreventedMatch[], now: number): boolean {
    const matchId = market.nextPreventedMatchId++;
    const mode = taker.stp;
    // What would have traded: both orders' events report it (Binance's pl/pL/pY).
    const match = { lots: Math.min(taker.remainingLots, maker.remainingLots), price: maker.priceTicks };
    let makerLots = 0;
    let takerLots = 0;
    if (mode === 'EXPIRE_MAKER' || mode === 'EXPIRE_BOTH') {
      makerLots = maker.remainingLots;
      market.book[maker.side === 'BUY' ? 'bids' : 'asks'].remove(maker);
      this.ctx.recorder.touchLevel(market, maker.side === 'BUY', maker.priceTicks);
      this.expireInMatch(market, maker, matchId, makerLots, taker.id, match, now);
    }
    if (mode === 'EXPIRE_TAKER' || mode === 'EXPIRE_BOTH') {
      takerLots = taker.remainingLots;
      this.expireInMatch(market, taker, matchId, takerLots, maker.id, match, now);
    }
    prevented.push({ preventedMatchId: matchId, makerOrderId: maker.id, price: maker.priceTicks, makerPreventedLots: makerLots, takerPreventedLots: takerLots });
    return takerLots === 0;
  }

  private expireInMatch(
    market: Market,
    order: Order,
    matchId: number,
    lots: number,
    counterOrderId: number,
    match: { lots: number; price: number },
    now: number,
  ): void {
    order.preventedLots += lots;
    order.preventedMatchId = matchId;
    order.status = 'EXPIRED_IN_MATCH';
    order.updateTime = now;
    this.close(market, order);
    this.ctx.recorder.prevention(order, { lastPreventedLots: lots, counterOrderId, executionLots: match.lots, executionPrice: match.price });
  }

  /** One trade between `taker` and the resting `maker`, at the maker's price. */
  private fill(market: Market, taker: Order, maker: Order, level: Level, lots: number, now: number): Trade {
    const rules = market.rules;
    const price = maker.priceTicks;
    const quote = rules.notionalFloor(price, lots);
    const base = rules.baseUnits(lots);
    const takerBuys = taker.side === 'BUY';
    const buyer = takerBuys ? taker : maker;
    const seller = takerBuys ? maker : taker;
    const buyerAccount = this.ctx.account(buyer.accountId);
    const sellerAccount = this.ctx.account(seller.accountId);
    const buyerCommission = commissionOf(base, takerBuys ? buyerAccount.takerRate : buyerAccount.makerRate);
    const sellerCommission = commissionOf(quote, takerBuys ? sellerAccount.makerRate : sellerAccount.takerRate);
    const recorder = this.ctx.recorder;

    // Buyer pays quote out of its lock and receives base less commission; the seller mirrors it.
    const buyerQuote = buyerAccount.balance(market.quote, market.quotePrecision);
    buyerQuote.locked -= quote;
    buyer.lockedUnits -= quote;
    const buyerBase = buyerAccount.balance(market.base, market.basePrecision);
    buyerBase.free += base - buyerCommission;
    const sellerBase = sellerAccount.balance(market.base, market.basePrecision);
    sellerBase.locked -= base;
    seller.lockedUnits -= base;
    const sellerQuote = sellerAccount.balance(market.quote, market.quotePrecision);
    sellerQuote.free += quote - sellerCommission;
    recorder.touchBalance(buyerQuote);
    recorder.touchBalance(buyerBase);
    recorder.touchBalance(sellerBase);
    recorder.touchBalance(sellerQuote);
    market.baseFees += buyerCommission;
    market.quoteFees += sellerCommission;

    level.lots -= lots;
    recorder.touchLevel(market, maker.side === 'BUY', price);
    applyFill(maker, lots, quote, now);
    applyFill(taker, lots, quote, now);
    if (market.lastAggTaker !== taker.id || market.lastAggPrice !== price) {
      market.nextAggTradeId++;
      market.lastAggTaker = taker.id;
      market.lastAggPrice = price;
    }
    const trade: Trade = {
      id: market.nextTradeId++,
      pair: market.pair,
      price,
      lots,
      quote,
      time: now,
      buyOrderId: buyer.id,
      sellOrderId: seller.id,
      buyerAccountId: buyer.accountId,
      sellerAccountId: seller.accountId,
      buyerIsMaker: !takerBuys,
      buyerCommission,
      sellerCommission,
      takerOrderId: taker.id,
      aggId: market.nextAggTradeId - 1,
    };
    this.record(market, trade);
    if (maker.remainingLots === 0) {
      market.book[maker.side === 'BUY' ? 'bids' : 'asks'].remove(maker);
      this.close(market, maker);
    }
    const takerCommission = takerBuys ? buyerCommission : sellerCommission;
    const makerCommission = takerBuys ? sellerCommission : buyerCommission;
    recorder.order(taker, 'TRADE', trade, false, takerCommission, takerBuys ? market.base : market.quote);
    recorder.order(maker, 'TRADE', trade, true, makerCommission, takerBuys ? market.quote : market.base);
    return trade;
  }

  /** Keeps the trade in the market's and both accounts' bounded history. */
  private record(market: Market, trade: Trade): void {
    market.trades.push(trade);
    market.stats.record(trade.id, trade.price, trade.lots, trade.quote, trade.time);
    market.accountState(trade.buyerAccountId).fills.push(trade);
    // A self-trade is kept once; the account's trade list shows both of its sides.
    if (trade.sellerAccountId !== trade.buyerAccountId) market.accountState(trade.sellerAccountId).fills.push(trade);
    this.ctx.recorder.trade(trade);
  }

  /** Puts the unfilled part of a GTC limit order on the book, keeping locked exactly what it needs. */
  private rest(market: Market, order: Order, now: number): void {
    const isBuy = order.side === 'BUY';
    market.book[isBuy ? 'bids' : 'asks'].add(order);
    this.ctx.recorder.touchLevel(market, isBuy, order.priceTicks);
    order.workingTime = now;
    const state = market.accountState(order.accountId);
    state.open.set(order.id, order);
    if (order.hasOwnClientId) state.openByClientId.set(order.clientOrderId, order);
    order.listed = true;
    if (isBuy) {
      const needed = market.rules.notionalCeil(order.priceTicks, order.remainingLots);
      if (order.lockedUnits > needed) this.release(market, order, order.lockedUnits - needed);
    }
  }

  private expire(market: Market, order: Order, reason: ExpiryReason, now: number): void {
    order.status = 'EXPIRED';
    order.expiryReason = reason;
    order.updateTime = now;
    this.close(market, order);
    this.ctx.recorder.order(order, 'EXPIRED');
  }

  /** Moves a finished order from the open set to history and frees what it still holds. */
  private close(market: Market, order: Order): void {
    if (order.lockedUnits !== 0) this.release(market, order, order.lockedUnits);
    const state: AccountMarket = market.accountState(order.accountId);
    if (order.listed) {
      order.listed = false;
      state.open.delete(order.id);
      if (order.hasOwnClientId) state.openByClientId.delete(order.clientOrderId);
    }
    state.closed.push(order);
  }

  private release(market: Market, order: Order, units: number): void {
    const isBuy = order.side === 'BUY';
    const balance = this.ctx.account(order.accountId).balance(isBuy ? market.quote : market.base, isBuy ? market.quotePrecision : market.basePrecision);
    balance.locked -= units;
    balance.free += units;
    order.lockedUnits -= units;
    this.ctx.recorder.touchBalance(balance);
  }

  /** Lots the taker could fill against `opposite` at acceptable prices, skipping what STP would expire. */
  private available(opposite: BookSide, taker: Order): number {
    const isBuy = taker.side === 'BUY';
    let total = 0;
    for (let i = 0; ; i++) {
      const level = opposite.levelAt(i);
      if (level === undefined || (isBuy ? level.price > taker.priceTicks : level.price < taker.priceTicks)) return total;
      for (let o = level.head; o !== null; o = o.next) {
        if (o.accountId === taker.accountId && taker.stp !== 'NONE') {
          if (taker.stp !== 'EXPIRE_MAKER') return total;
          continue;
        }
        total += o.remainingLots;
        if (total >= taker.origLots) return total;
      }
    }
  }

  /** Quote units to lock for a market buy of `lots`: each level's share rounded up. */
  private costOfBuying(market: Market, asks: BookSide, accountId: number, stp: Order['stp'], lots: number): number {
    let left = lots;
    let cost = 0;
    this.walk(asks, accountId, stp, (price, available) => {
      const take = Math.min(left, available);
      cost += market.rules.notionalCeil(price, take);
      left -= take;
      return left > 0;
    });
    return cost;
  }

  /** Whole lots a market order by quote amount takes from the book. */
  private lotsForQuote(market: Market, opposite: BookSide, accountId: number, stp: Order['stp'], quote: number): number {
    const rules = market.rules;
    let left = quote;
    let lots = 0;
    this.walk(opposite, accountId, stp, (price, available) => {
      const take = Math.min(available, floorToStep(rules.lotsForQuote(price, left), rules.stepLots));
      lots += take;
      left -= rules.notionalFloor(price, take);
      return take === available;
    });
    return lots;
  }

  /** Visits the resting quantity at each price from the best, as the matcher would reach it. */
  private walk(side: BookSide, accountId: number, stp: Order['stp'], visit: (price: number, lots: number) => boolean): void {
    for (let i = 0; ; i++) {
      const level = side.levelAt(i);
      if (level === undefined) return;
      let lots = 0;
      let stop = false;
      for (let o = level.head; o !== null; o = o.next) {
        if (o.accountId === accountId && stp !== 'NONE') {
          if (stp === 'EXPIRE_MAKER') continue;
          stop = true;
          break;
        }
        lots += o.remainingLots;
      }
      if (lots > 0 && !visit(level.price, lots)) return;
      if (stop) return;
    }
  }
}

function applyFill(order: Order, lots: number, quote: number, now: number): void {
  order.executedLots += lots;
  order.cumQuote += quote;
  order.updateTime = now;
  order.status = order.remainingLots === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
}

function floorToStep(lots: number, step: number): number {
  return step > 1 ? lots - (lots % step) : lots;
}

function expiryReasonOf(order: Order, fok: boolean): ExpiryReason {
  if (order.kind === 'MARKET') return 'INSUFFICIENT_LIQUIDITY';
  return fok ? 'UNFILLED_FOK_ORDER_EXPIRED' : 'UNFILLED_IOC_QUANTITY_EXPIRED';
}
