import { z } from 'zod';
import type { Decimal } from '../../../core/decimal.js';
import type { OpenOrder } from '../../../core/orders/open-order.js';
import type { OrderUpdate, TradeUpdate } from '../../../core/orders/updates.js';
import { TradeType, type OrderState, type OrderType } from '../../../core/types.js';
import { BINANCE_ORDER_STATUSES, ORDER_STATE, fromBinanceOrderType, type BinanceOrderStatus } from '../constants.js';
import { fillFee } from './fill-fee.js';
import { amountString, fail, int, ok, pairOf, parseSchema, side, type ParseFailure, type ParseResult, type SymbolToPair } from './schema.js';

/** An order as the REST API returns it (GET, POST with RESULT or FULL, DELETE, openOrders, allOrders). */
export interface BinanceOrder {
  readonly symbol: string;
  readonly tradingPair: string;
  readonly exchangeOrderId: string;
  /** The order's own client id (a DELETE answer's `origClientOrderId`; `clientOrderId` elsewhere). */
  readonly clientOrderId: string;
  /** On a DELETE answer: the cancel request's own id. */
  readonly cancelClientOrderId?: string;
  readonly side: TradeType;
  /** Binance type as sent; `orderType` is venuekit's when it has one. */
  readonly binanceType: string;
  readonly orderType?: OrderType;
  readonly timeInForce?: string;
  /** Zero for a market order. */
  readonly price: Decimal;
  readonly amount: Decimal;
  readonly executedAmount: Decimal;
  readonly cumulativeQuoteAmount?: Decimal;
  readonly status: BinanceOrderStatus;
  readonly state: OrderState;
  /** Exchange time of the state reported: updateTime, else transactTime, else workingTime, else time. */
  readonly updateTimestamp: number;
  /** Creation time (`time`), when the answer has it. */
  readonly creationTime?: number;
  readonly isWorking?: boolean;
  readonly expiryReason?: string;
}

export interface ParsedOrder {
  readonly order: BinanceOrder;
  /** The state, with `cumulativeFilledAmount` = executedQty. */
  readonly orderUpdate: OrderUpdate;
  /** The fills of a FULL create answer (the order's immediate, taker fills); empty otherwise. */
  readonly tradeUpdates: readonly TradeUpdate[];
}

/** What every create answer carries, ACK included. */
export interface OrderAck {
  readonly symbol: string;
  readonly tradingPair: string;
  readonly exchangeOrderId: string;
  readonly clientOrderId: string;
  readonly transactTime: number;
}

const fillSchema = z.object({
  price: amountString,
  qty: amountString,
  commission: amountString,
  commissionAsset: z.string().nullable(),
  tradeId: int,
});

const orderSchema = z.object({
  symbol: z.string().min(1),
  orderId: int,
  clientOrderId: z.string(),
  origClientOrderId: z.string().optional(),
  price: amountString,
  origQty: amountString,
  executedQty: amountString,
  cummulativeQuoteQty: amountString.optional(),
  status: z.enum(BINANCE_ORDER_STATUSES as [BinanceOrderStatus, ...BinanceOrderStatus[]]),
  timeInForce: z.string().optional(),
  type: z.string(),
  side,
  time: int.optional(),
  updateTime: int.optional(),
  transactTime: int.optional(),
  workingTime: int.optional(),
  isWorking: z.boolean().optional(),
  expiryReason: z.string().optional(),
  fills: z.array(fillSchema).optional(),
});

const ackSchema = z.object({ symbol: z.string().min(1), orderId: int, clientOrderId: z.string().min(1), transactTime: int });

const WHAT = 'order';

/** A REST order answer → the order, its OrderUpdate, and the fills of a FULL answer. */
export function parseOrder(body: unknown, symbols: SymbolToPair): ParseResult<ParsedOrder> {
  const parsed = parseSchema(orderSchema, body, WHAT);
  if (!parsed.ok) return parsed;
  const o = parsed.value;
  const pair = pairOf(symbols, o.symbol, WHAT);
  if (!pair.ok) return pair;
  const clientOrderId = o.origClientOrderId ?? o.clientOrderId;
  if (clientOrderId.length === 0) return fail('malformed', WHAT, o.origClientOrderId !== undefined ? 'origClientOrderId' : 'clientOrderId', 'is empty', '');
  const updateTimestamp = o.updateTime ?? o.transactTime ?? o.workingTime ?? o.time;
  if (updateTimestamp === undefined) return fail('malformed', WHAT, 'updateTime', 'is missing (and so are transactTime, workingTime and time)', undefined);

  const tradeType = o.side === 'BUY' ? TradeType.BUY : TradeType.SELL;
  const exchangeOrderId = String(o.orderId);
  const orderType = fromBinanceOrderType(o.type);
  const order: BinanceOrder = {
    symbol: o.symbol,
    tradingPair: pair.value,
    exchangeOrderId,
    clientOrderId,
    side: tradeType,
    binanceType: o.type,
    price: o.price,
    amount: o.origQty,
    executedAmount: o.executedQty,
    status: o.status,
    state: ORDER_STATE[o.status],
    updateTimestamp,
    ...(o.origClientOrderId !== undefined && { cancelClientOrderId: o.clientOrderId }),
    ...(orderType !== undefined && { orderType }),
    ...(o.timeInForce !== undefined && { timeInForce: o.timeInForce }),
    ...(o.cummulativeQuoteQty !== undefined && { cumulativeQuoteAmount: o.cummulativeQuoteQty }),
    ...(o.time !== undefined && { creationTime: o.time }),
    ...(o.isWorking !== undefined && { isWorking: o.isWorking }),
    ...(o.expiryReason !== undefined && { expiryReason: o.expiryReason }),
  };
  const orderUpdate: OrderUpdate = {
    clientOrderId,
    tradingPair: pair.value,
    newState: order.state,
    updateTimestamp,
    exchangeOrderId,
    cumulativeFilledAmount: o.executedQty,
    ...(o.status === 'REJECTED' && { errorType: 'REJECTED', errorMessage: 'Binance rejected the order' }),
  };
  const tradeUpdates = (o.fills ?? []).map(
    (f): TradeUpdate => ({
      tradeId: String(f.tradeId),
      clientOrderId,
      exchangeOrderId,
      tradingPair: pair.value,
      fillTimestamp: updateTimestamp,
      fillPrice: f.price,
      fillBaseAmount: f.qty,
      fillQuoteAmount: f.price.mul(f.qty),
      fee: fillFee(tradeType, f.commissionAsset, f.commission),
      // A create answer's fills are the ones the new order took from the book.
      isMaker: false,
      // No quote amount per fill in the answer: ours until myTrades or the stream give the exchange's.
      quoteAmountDerived: true,
    }),
  );
  return ok({ order, orderUpdate, tradeUpdates });
}

/** The fields every create answer has (ACK, RESULT, FULL): enough to record the exchange order id. */
export function parseOrderAck(body: unknown, symbols: SymbolToPair): ParseResult<OrderAck> {
  const parsed = parseSchema(ackSchema, body, 'order acknowledgement');
  if (!parsed.ok) return parsed;
  const a = parsed.value;
  const pair = pairOf(symbols, a.symbol, 'order acknowledgement');
  if (!pair.ok) return pair;
  return ok({ symbol: a.symbol, tradingPair: pair.value, exchangeOrderId: String(a.orderId), clientOrderId: a.clientOrderId, transactTime: a.transactTime });
}

export interface ParsedOrderList {
  readonly orders: readonly ParsedOrder[];
  /** Entries that could not be read, or on symbols outside the map (log them; the rest is usable). */
  readonly skipped: readonly ParseFailure[];
}

/** `GET /api/v3/openOrders` or `allOrders` → each order; one bad entry does not lose the others. */
export function parseOrderList(body: unknown, symbols: SymbolToPair): ParseResult<ParsedOrderList> {
  if (!Array.isArray(body)) return fail('malformed', 'order list', '', 'is not an array', body);
  const orders: ParsedOrder[] = [];
  const skipped: ParseFailure[] = [];
  for (const entry of body as unknown[]) {
    const parsed = parseOrder(entry, symbols);
    if (parsed.ok) orders.push(parsed.value);
    else skipped.push(parsed);
  }
  return ok({ orders, skipped });
}

/** The spec's OpenOrder view of an order; undefined for a type venuekit does not trade (a stop order). */
export function toOpenOrder(order: BinanceOrder): OpenOrder | undefined {
  if (order.orderType === undefined) return undefined;
  return {
    clientOrderId: order.clientOrderId,
    exchangeOrderId: order.exchangeOrderId,
    tradingPair: order.tradingPair,
    price: order.price,
    amount: order.amount,
    executedAmount: order.executedAmount,
    status: order.status,
    orderType: order.orderType,
    isBuy: order.side === TradeType.BUY,
    time: order.creationTime ?? order.updateTimestamp,
  };
}
