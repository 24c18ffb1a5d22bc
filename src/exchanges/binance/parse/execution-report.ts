import { z } from 'zod';
import type { Decimal } from '../../../core/decimal.js';
import type { OrderUpdate, TradeUpdate } from '../../../core/orders/updates.js';
import { TradeType } from '../../../core/types.js';
import { BINANCE_ORDER_STATUSES, ORDER_STATE, type BinanceOrderStatus } from '../constants.js';
import { fillFee } from './fill-fee.js';
import { amountString, fail, int, ok, pairOf, parseSchema, side, type ParseResult, type SymbolToPair } from './schema.js';

/** An `executionReport` (reference §7.1) with readable names, exact decimals and string ids. */
export interface ExecutionReport {
  readonly eventTime: number;
  readonly symbol: string;
  readonly tradingPair: string;
  /** The order's own client id: `C` on a cancel (where `c` is the cancel request's id), `c` otherwise. */
  readonly clientOrderId: string;
  readonly side: TradeType;
  /** Binance order type as sent (LIMIT, MARKET, STOP_LOSS_LIMIT...). */
  readonly orderType: string;
  readonly timeInForce?: string;
  readonly amount: Decimal;
  readonly price: Decimal;
  /** `x`: NEW, CANCELED, REPLACED, REJECTED, TRADE, EXPIRED, TRADE_PREVENTION. */
  readonly executionType: string;
  readonly orderStatus: BinanceOrderStatus;
  readonly rejectReason?: string;
  readonly exchangeOrderId: string;
  readonly lastFilledAmount: Decimal;
  readonly cumulativeFilledAmount: Decimal;
  readonly lastFilledPrice: Decimal;
  readonly cumulativeQuoteAmount?: Decimal;
  readonly commission: Decimal;
  readonly commissionAsset: string | null;
  readonly transactionTime: number;
  /** Set on TRADE reports only. */
  readonly tradeId?: string;
  /** `I`, increasing per order (with gaps): with the order id it identifies the report. */
  readonly executionId?: number;
  readonly isMaker: boolean;
  readonly isWorking?: boolean;
  readonly creationTime?: number;
  readonly expiryReason?: string;
}

export interface ExecutionReportUpdates {
  readonly report: ExecutionReport;
  /** For every report. */
  readonly orderUpdate: OrderUpdate;
  /** For a TRADE report (a fill). */
  readonly tradeUpdate?: TradeUpdate;
}

const executionReportSchema = z.object({
  e: z.literal('executionReport'),
  E: int,
  s: z.string().min(1),
  c: z.string(),
  S: side,
  o: z.string(),
  f: z.string().optional(),
  q: amountString,
  p: amountString,
  C: z.string().nullable().optional(),
  x: z.string().min(1),
  X: z.enum(BINANCE_ORDER_STATUSES as [BinanceOrderStatus, ...BinanceOrderStatus[]]),
  r: z.string().optional(),
  i: int,
  l: amountString,
  z: amountString,
  L: amountString,
  n: amountString,
  N: z.string().nullable(),
  T: int,
  t: int,
  I: int.optional(),
  w: z.boolean().optional(),
  m: z.boolean(),
  O: int.optional(),
  Z: amountString.optional(),
  Y: amountString.optional(),
  eR: z.string().optional(),
});

const WHAT = 'executionReport';

/**
 * executionReport → an OrderUpdate (always) and a TradeUpdate (when `x` is TRADE). Timestamps are
 * the engine's transaction time `T`, as in REST answers, so updates from both sources compare.
 */
export function parseExecutionReport(event: unknown, symbols: SymbolToPair): ParseResult<ExecutionReportUpdates> {
  const parsed = parseSchema(executionReportSchema, event, WHAT);
  if (!parsed.ok) return parsed;
  const e = parsed.value;
  const pair = pairOf(symbols, e.s, WHAT);
  if (!pair.ok) return pair;

  const isCancel = e.x === 'CANCELED';
  const clientOrderId = isCancel && e.C ? e.C : e.c;
  if (clientOrderId.length === 0) return fail('malformed', WHAT, isCancel ? 'C' : 'c', 'is empty', clientOrderId);
  const isTrade = e.x === 'TRADE';
  if (isTrade && (e.t < 0 || !e.l.gt(0))) {
    return fail('malformed', WHAT, e.t < 0 ? 't' : 'l', 'must identify a fill on a TRADE report', e.t < 0 ? e.t : e.l.toString());
  }
  const tradeType = e.S === 'BUY' ? TradeType.BUY : TradeType.SELL;
  const exchangeOrderId = String(e.i);

  const report: ExecutionReport = {
    eventTime: e.E,
    symbol: e.s,
    tradingPair: pair.value,
    clientOrderId,
    side: tradeType,
    orderType: e.o,
    amount: e.q,
    price: e.p,
    executionType: e.x,
    orderStatus: e.X,
    exchangeOrderId,
    lastFilledAmount: e.l,
    cumulativeFilledAmount: e.z,
    lastFilledPrice: e.L,
    commission: e.n,
    commissionAsset: e.N,
    transactionTime: e.T,
    isMaker: e.m,
    ...(e.f !== undefined && { timeInForce: e.f }),
    ...(e.r !== undefined && e.r !== 'NONE' && { rejectReason: e.r }),
    ...(e.Z !== undefined && { cumulativeQuoteAmount: e.Z }),
    ...(isTrade && { tradeId: String(e.t) }),
    ...(e.I !== undefined && { executionId: e.I }),
    ...(e.w !== undefined && { isWorking: e.w }),
    ...(e.O !== undefined && { creationTime: e.O }),
    ...(e.eR !== undefined && { expiryReason: e.eR }),
  };

  const orderUpdate: OrderUpdate = {
    clientOrderId,
    tradingPair: pair.value,
    newState: ORDER_STATE[e.X],
    updateTimestamp: e.T,
    exchangeOrderId,
    cumulativeFilledAmount: e.z,
    ...(e.X === 'REJECTED' && { errorType: 'REJECTED', errorMessage: `Binance rejected the order (${e.r ?? 'no reason given'})` }),
  };

  if (!isTrade) return ok({ report, orderUpdate });
  const tradeUpdate: TradeUpdate = {
    tradeId: String(e.t),
    clientOrderId,
    exchangeOrderId,
    tradingPair: pair.value,
    fillTimestamp: e.T,
    fillPrice: e.L,
    fillBaseAmount: e.l,
    // Y is the exchange's own L×l; older payloads without it get the product.
    fillQuoteAmount: e.Y ?? e.l.mul(e.L),
    fee: fillFee(tradeType, e.N, e.n),
    isMaker: e.m,
    ...(e.Y === undefined && { quoteAmountDerived: true }),
  };
  return ok({ report, orderUpdate, tradeUpdate });
}
