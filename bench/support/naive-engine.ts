import { Decimal } from '../../src/core/decimal.js';
import type { WorkloadOrder } from './matching-workload.js';

/**
 * The peer for the engine benchmark: the matching engine as it is usually first written, on
 * decimal.js throughout (prices, quantities, balances), levels in sorted arrays, orders in FIFO
 * arrays. It does the same work per order as venuekit's engine on this workload: parse the decimal
 * strings, check tick and step, lock funds, match in price-time priority at the maker's price,
 * charge 0.1 % commission on what each side receives, keep a bounded window of fills per account.
 */
interface NaiveOrder {
  id: number;
  account: number;
  side: 'BUY' | 'SELL';
  price: Decimal;
  remaining: Decimal;
  locked: Decimal;
}

interface NaiveLevel {
  price: Decimal;
  orders: NaiveOrder[];
}

interface NaiveBalance {
  free: Decimal;
  locked: Decimal;
}

interface NaiveFill {
  id: number;
  price: Decimal;
  qty: Decimal;
  buyOrder: number;
  sellOrder: number;
  time: number;
}

const TICK = new Decimal('0.01');
const STEP = new Decimal('0.00001');
const RATE = new Decimal('0.001');
const HISTORY = 1000;

export class NaiveEngine {
  private readonly bids: NaiveLevel[] = []; // best first
  private readonly asks: NaiveLevel[] = [];
  private readonly balances: Map<string, NaiveBalance>[] = [];
  private readonly fills: NaiveFill[][] = [];
  private nextOrder = 1;
  private nextTrade = 1;
  rejected = 0;
  trades = 0;

  constructor(accounts: number, funds: Readonly<Record<string, string>>) {
    for (let i = 0; i < accounts; i++) {
      this.balances.push(new Map(Object.entries(funds).map(([asset, amount]) => [asset, { free: new Decimal(amount), locked: new Decimal(0) }])));
      this.fills.push([]);
    }
  }

  submit(o: WorkloadOrder): void {
    const price = new Decimal(o.price);
    const qty = new Decimal(o.quantity);
    if (!price.mod(TICK).isZero() || !qty.mod(STEP).isZero() || price.times(qty).lt(5)) {
      this.rejected++;
      return;
    }
    const isBuy = o.side === 'BUY';
    const funds = this.balances[o.account]!.get(isBuy ? 'USDT' : 'BTC')!;
    const lock = isBuy ? price.times(qty) : qty;
    if (funds.free.lt(lock)) {
      this.rejected++;
      return;
    }
    funds.free = funds.free.minus(lock);
    funds.locked = funds.locked.plus(lock);
    const order: NaiveOrder = { id: this.nextOrder++, account: o.account, side: o.side, price, remaining: qty, locked: lock };
    const opposite = isBuy ? this.asks : this.bids;
    while (order.remaining.gt(0) && opposite.length > 0) {
      const level = opposite[0]!;
      if (isBuy ? level.price.gt(price) : level.price.lt(price)) break;
      const maker = level.orders[0]!;
      if (maker.account === order.account) {
        // Self-trade prevention (EXPIRE_MAKER): the resting order goes.
        level.orders.shift();
        this.release(maker);
      } else {
        const take = Decimal.min(order.remaining, maker.remaining);
        this.trade(order, maker, take);
        if (maker.remaining.isZero()) {
          level.orders.shift();
          this.release(maker);
        }
      }
      if (level.orders.length === 0) opposite.shift();
    }
    if (order.remaining.gt(0) && o.tif === 'GTC') this.rest(order);
    else this.release(order);
  }

  private trade(taker: NaiveOrder, maker: NaiveOrder, qty: Decimal): void {
    const buyer = taker.side === 'BUY' ? taker : maker;
    const seller = taker.side === 'BUY' ? maker : taker;
    const quote = maker.price.times(qty);
    const b = this.balances[buyer.account]!;
    const s = this.balances[seller.account]!;
    const bq = b.get('USDT')!;
    bq.locked = bq.locked.minus(quote);
    buyer.locked = buyer.locked.minus(quote);
    const bb = b.get('BTC')!;
    bb.free = bb.free.plus(qty.minus(qty.times(RATE)));
    const sb = s.get('BTC')!;
    sb.locked = sb.locked.minus(qty);
    seller.locked = seller.locked.minus(qty);
    const sq = s.get('USDT')!;
    sq.free = sq.free.plus(quote.minus(quote.times(RATE)));
    taker.remaining = taker.remaining.minus(qty);
    maker.remaining = maker.remaining.minus(qty);
    const fill: NaiveFill = { id: this.nextTrade++, price: maker.price, qty, buyOrder: buyer.id, sellOrder: seller.id, time: Date.now() };
    for (const account of new Set([buyer.account, seller.account])) {
      const list = this.fills[account]!;
      list.push(fill);
      if (list.length > HISTORY) list.shift();
    }
    this.trades++;
  }

  private rest(order: NaiveOrder): void {
    const side = order.side === 'BUY' ? this.bids : this.asks;
    const better = (p: Decimal): boolean => (order.side === 'BUY' ? p.gt(order.price) : p.lt(order.price));
    let lo = 0;
    let hi = side.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (better(side[mid]!.price)) lo = mid + 1;
      else hi = mid;
    }
    const level = side[lo];
    if (level !== undefined && level.price.eq(order.price)) level.orders.push(order);
    else side.splice(lo, 0, { price: order.price, orders: [order] });
    if (order.side === 'BUY') {
      // Keep exactly price x remaining locked.
      const needed = order.price.times(order.remaining);
      const extra = order.locked.minus(needed);
      if (extra.gt(0)) this.unlock(order, extra);
    }
  }

  private release(order: NaiveOrder): void {
    if (order.locked.gt(0)) this.unlock(order, order.locked);
  }

  private unlock(order: NaiveOrder, amount: Decimal): void {
    const b = this.balances[order.account]!.get(order.side === 'BUY' ? 'USDT' : 'BTC')!;
    b.locked = b.locked.minus(amount);
    b.free = b.free.plus(amount);
    order.locked = order.locked.minus(amount);
  }

  levels(): { bids: number; asks: number } {
    return { bids: this.bids.length, asks: this.asks.length };
  }
}
