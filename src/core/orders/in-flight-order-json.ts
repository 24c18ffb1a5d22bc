import { z } from 'zod';
import { decimalJSON, MalformedDataError, parseWith } from '../json.js';
import { OrderState, OrderType, TradeType } from '../types.js';
import { tradeUpdateJSONSchema, tradeUpdateToJSON, type TradeUpdateJSON } from './trade-update-json.js';
import type { InFlightOrder, InFlightOrderInit } from './in-flight-order.js';

/** The version written by this code. Readers accept it and every older one they know. */
export const IN_FLIGHT_ORDER_JSON_VERSION = 1;

/**
 * The saved form of an order (version 1). Decimals are strings, timestamps are milliseconds,
 * states and types are their names. Readers tolerate a missing version (taken as 1), exchange id,
 * price (market orders), last update, acknowledgement, failure, executed totals and fills.
 */
export interface InFlightOrderJSON {
  version: number;
  clientOrderId: string;
  exchangeOrderId?: string;
  tradingPair: string;
  orderType: OrderType;
  tradeType: TradeType;
  price?: string;
  amount: string;
  currentState: OrderState;
  creationTimestamp: number;
  lastUpdateTimestamp: number;
  acknowledgedTimestamp?: number;
  executedAmountBase: string;
  executedAmountQuote: string;
  /** Written only when not zero: executed amounts no recorded fill accounts for. */
  executedBeforeFills?: { base: string; quote: string };
  failure?: { type: string; message: string };
  orderFills?: Record<string, TradeUpdateJSON>;
}

export function inFlightOrderToJSON(order: InFlightOrder, withFills: boolean): InFlightOrderJSON {
  const out: InFlightOrderJSON = {
    version: IN_FLIGHT_ORDER_JSON_VERSION,
    clientOrderId: order.clientOrderId,
    tradingPair: order.tradingPair,
    orderType: order.orderType,
    tradeType: order.tradeType,
    amount: order.amount.toString(),
    currentState: order.currentState,
    creationTimestamp: order.creationTimestamp,
    lastUpdateTimestamp: order.lastUpdateTimestamp,
    executedAmountBase: order.executedAmountBase.toString(),
    executedAmountQuote: order.executedAmountQuote.toString(),
  };
  if (order.exchangeOrderId !== undefined) out.exchangeOrderId = order.exchangeOrderId;
  if (order.price !== undefined) out.price = order.price.toString();
  if (order.acknowledgedTimestamp !== undefined) out.acknowledgedTimestamp = order.acknowledgedTimestamp;
  const before = order.executedBeforeFills;
  if (!before.base.isZero() || !before.quote.isZero()) out.executedBeforeFills = { base: before.base.toString(), quote: before.quote.toString() };
  if (order.failure !== undefined) out.failure = { type: order.failure.type, message: order.failure.message };
  if (withFills) {
    // Sorted by trade id so two equal orders always print the same JSON.
    const ids = [...order.orderFills.keys()].sort();
    out.orderFills = Object.fromEntries(ids.map((id) => [id, tradeUpdateToJSON(order.orderFills.get(id)!)]));
  }
  return out;
}

const timestamp = z.number().finite();

const inFlightOrderSchema = z.object({
  version: z.literal(IN_FLIGHT_ORDER_JSON_VERSION, { message: `is not a version this venuekit reads (${IN_FLIGHT_ORDER_JSON_VERSION})` }).optional(),
  clientOrderId: z.string().min(1),
  exchangeOrderId: z.string().min(1).nullish(),
  tradingPair: z.string().min(1),
  orderType: z.enum(OrderType),
  tradeType: z.enum(TradeType),
  price: decimalJSON.nullish(),
  amount: decimalJSON,
  currentState: z.enum(OrderState),
  creationTimestamp: timestamp.optional(),
  lastUpdateTimestamp: timestamp.optional(),
  acknowledgedTimestamp: timestamp.nullish(),
  executedAmountBase: decimalJSON.optional(),
  executedAmountQuote: decimalJSON.optional(),
  executedBeforeFills: z.object({ base: decimalJSON, quote: decimalJSON }).nullish(),
  failure: z.object({ type: z.string(), message: z.string() }).nullish(),
  orderFills: z.record(z.string(), tradeUpdateJSONSchema).nullish(),
});

/** Reads a saved order into constructor arguments; throws MalformedDataError naming the first bad field. */
export function inFlightOrderFromJSON(data: unknown): InFlightOrderInit {
  const j = parseWith(inFlightOrderSchema, data, 'order');
  const fills = Object.entries(j.orderFills ?? {}).map(([key, fill]) => {
    if (fill.tradeId !== key) throw new MalformedDataError('order', `orderFills.${key}.tradeId`, `differs from its key "${key}"`, fill.tradeId);
    return fill;
  });
  const creationTimestamp = j.creationTimestamp ?? j.lastUpdateTimestamp ?? 0;
  return {
    clientOrderId: j.clientOrderId,
    tradingPair: j.tradingPair,
    orderType: j.orderType,
    tradeType: j.tradeType,
    amount: j.amount,
    creationTimestamp,
    initialState: j.currentState,
    lastUpdateTimestamp: j.lastUpdateTimestamp ?? creationTimestamp,
    fills,
    ...(j.price !== undefined && j.price !== null && { price: j.price }),
    ...(j.exchangeOrderId !== undefined && j.exchangeOrderId !== null && { exchangeOrderId: j.exchangeOrderId }),
    ...(j.acknowledgedTimestamp !== undefined && j.acknowledgedTimestamp !== null && { acknowledgedTimestamp: j.acknowledgedTimestamp }),
    ...(j.failure !== undefined && j.failure !== null && { failure: j.failure }),
    ...(j.executedBeforeFills !== undefined && j.executedBeforeFills !== null && { executedBeforeFills: j.executedBeforeFills }),
    ...(j.executedAmountBase !== undefined && { executedAmountBase: j.executedAmountBase }),
    ...(j.executedAmountQuote !== undefined && { executedAmountQuote: j.executedAmountQuote }),
  };
}
