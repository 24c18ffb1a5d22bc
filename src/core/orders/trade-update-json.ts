import { z } from 'zod';
import { decimalJSON, parseWith } from '../json.js';
import { tradeFeeJSONSchema, tradeFeeToJSON, type TradeFeeJSON } from '../fees/trade-fee-json.js';
import type { TradeUpdate } from './updates.js';

/** A fill as saved JSON: decimals as strings, timestamps in milliseconds. */
export interface TradeUpdateJSON {
  tradeId: string;
  clientOrderId: string;
  exchangeOrderId: string;
  tradingPair: string;
  fillTimestamp: number;
  fillPrice: string;
  fillBaseAmount: string;
  fillQuoteAmount: string;
  fee: TradeFeeJSON;
  isMaker?: boolean;
  quoteAmountDerived?: true;
}

export function tradeUpdateToJSON(t: TradeUpdate): TradeUpdateJSON {
  const out: TradeUpdateJSON = {
    tradeId: t.tradeId,
    clientOrderId: t.clientOrderId,
    exchangeOrderId: t.exchangeOrderId,
    tradingPair: t.tradingPair,
    fillTimestamp: t.fillTimestamp,
    fillPrice: t.fillPrice.toString(),
    fillBaseAmount: t.fillBaseAmount.toString(),
    fillQuoteAmount: t.fillQuoteAmount.toString(),
    fee: tradeFeeToJSON(t.fee),
  };
  if (t.isMaker !== undefined) out.isMaker = t.isMaker;
  if (t.quoteAmountDerived === true) out.quoteAmountDerived = true;
  return out;
}

export const tradeUpdateJSONSchema = z
  .object({
    tradeId: z.string().min(1),
    clientOrderId: z.string().min(1),
    exchangeOrderId: z.string(),
    tradingPair: z.string().min(1),
    fillTimestamp: z.number().finite(),
    fillPrice: decimalJSON,
    fillBaseAmount: decimalJSON,
    fillQuoteAmount: decimalJSON,
    fee: tradeFeeJSONSchema,
    isMaker: z.boolean().optional(),
    quoteAmountDerived: z.boolean().optional(),
  })
  .transform((t): TradeUpdate => {
    const { isMaker, quoteAmountDerived, ...rest } = t;
    return { ...rest, ...(isMaker !== undefined && { isMaker }), ...(quoteAmountDerived === true && { quoteAmountDerived: true }) };
  });

export function tradeUpdateFromJSON(data: unknown): TradeUpdate {
  return parseWith(tradeUpdateJSONSchema, data, 'trade update');
}
