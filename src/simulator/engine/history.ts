import type { Trade } from './events.js';
import { Order } from './order.js';
import type { RecordCodec } from './packed-ring.js';
import type { ExpiryReason, OrderKind, OrderStatus, Side, StpMode, TimeInForce } from './types.js';

// Enum values by code: a record stores the index.
const STATUSES: readonly OrderStatus[] = ['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH'];
const SIDES: readonly Side[] = ['BUY', 'SELL'];
const KINDS: readonly OrderKind[] = ['LIMIT', 'LIMIT_MAKER', 'MARKET'];
const TIFS: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];
const STPS: readonly StpMode[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];
const EXPIRIES: readonly (ExpiryReason | null)[] = [
  null,
  'UNFILLED_IOC_QUANTITY_EXPIRED',
  'UNFILLED_FOK_ORDER_EXPIRED',
  'INSUFFICIENT_LIQUIDITY',
  'EXCHANGE_CANCELED',
];

/** Field offsets of a packed closed order; ORDER_ID is what searches read. */
export const ORDER_ID = 0;

/** Closed orders of one account on one market. */
export function orderCodec(pair: string, accountId: number, idSalt: number): RecordCodec<Order> {
  return {
    width: 17,
    write(o, d, at) {
      d[at] = o.id;
      d[at + 1] = o.priceTicks;
      d[at + 2] = o.origLots;
      d[at + 3] = o.executedLots;
      d[at + 4] = o.cumQuote;
      d[at + 5] = o.preventedLots;
      d[at + 6] = o.preventedMatchId;
      d[at + 7] = o.origQuoteUnits;
      d[at + 8] = o.time;
      d[at + 9] = o.updateTime;
      d[at + 10] = o.workingTime;
      d[at + 11] = STATUSES.indexOf(o.status);
      d[at + 12] = SIDES.indexOf(o.side) | (KINDS.indexOf(o.kind) << 1) | (TIFS.indexOf(o.timeInForce) << 3) | (STPS.indexOf(o.stp) << 5);
      d[at + 13] = EXPIRIES.indexOf(o.expiryReason);
      d[at + 14] = o.hasOwnClientId ? 1 : 0;
      d[at + 15] = o.strategyId ?? NaN;
      d[at + 16] = o.strategyType ?? NaN;
      return o.hasOwnClientId ? o.clientOrderId : null;
    },
    read(d, at, text) {
      const codes = d[at + 12] as number;
      const o = new Order(
        d[at] as number,
        pair,
        accountId,
        d[at + 14] === 1 ? text : null,
        idSalt,
        SIDES[codes & 1] as Side,
        KINDS[(codes >> 1) & 3] as OrderKind,
        TIFS[(codes >> 3) & 3] as TimeInForce,
        d[at + 1] as number,
        d[at + 2] as number,
        d[at + 7] as number,
        STPS[(codes >> 5) & 3] as StpMode,
        d[at + 8] as number,
      );
      o.executedLots = d[at + 3] as number;
      o.cumQuote = d[at + 4] as number;
      o.preventedLots = d[at + 5] as number;
      o.preventedMatchId = d[at + 6] as number;
      o.updateTime = d[at + 9] as number;
      o.workingTime = d[at + 10] as number;
      o.status = STATUSES[d[at + 11] as number] as OrderStatus;
      o.expiryReason = EXPIRIES[d[at + 13] as number] ?? null;
      o.strategyId = orNull(d[at + 15] as number);
      o.strategyType = orNull(d[at + 16] as number);
      return o;
    },
  };
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** Field offsets of a packed trade. */
export const TRADE_ID = 0;
export const TRADE_TIME = 5;
export const TRADE_BUY_ORDER = 6;
export const TRADE_SELL_ORDER = 7;
export const TRADE_AGG_ID = 13;

/** Trades of one market (the public tape, or the fills of one account). */
export function tradeCodec(pair: string): RecordCodec<Trade> {
  return {
    width: 14,
    write(t, d, at) {
      d[at] = t.id;
      d[at + 1] = t.price;
      d[at + 2] = t.lots;
      d[at + 3] = t.quote;
      d[at + 4] = t.buyerIsMaker ? 1 : 0;
      d[at + 5] = t.time;
      d[at + 6] = t.buyOrderId;
      d[at + 7] = t.sellOrderId;
      d[at + 8] = t.buyerAccountId;
      d[at + 9] = t.sellerAccountId;
      d[at + 10] = t.buyerCommission;
      d[at + 11] = t.sellerCommission;
      d[at + 12] = t.takerOrderId;
      d[at + 13] = t.aggId;
      return null;
    },
    read(d, at) {
      return {
        id: d[at] as number,
        pair,
        price: d[at + 1] as number,
        lots: d[at + 2] as number,
        quote: d[at + 3] as number,
        buyerIsMaker: d[at + 4] === 1,
        time: d[at + 5] as number,
        buyOrderId: d[at + 6] as number,
        sellOrderId: d[at + 7] as number,
        buyerAccountId: d[at + 8] as number,
        sellerAccountId: d[at + 9] as number,
        buyerCommission: d[at + 10] as number,
        sellerCommission: d[at + 11] as number,
        takerOrderId: d[at + 12] as number,
        aggId: d[at + 13] as number,
      };
    },
  };
}
