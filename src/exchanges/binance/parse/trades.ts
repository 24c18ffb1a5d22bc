import { z } from 'zod';
import type { Decimal } from '../../../core/decimal.js';
import type { TradeUpdate } from '../../../core/orders/updates.js';
import { TradeType } from '../../../core/types.js';
import { fillFee } from './fill-fee.js';
import { amountString, fail, int, ok, pairOf, parseSchema, type ParseFailure, type ParseResult, type SymbolToPair } from './schema.js';

/** One entry of `GET /api/v3/myTrades`: a fill of one of the account's orders. */
export interface AccountTrade {
  readonly symbol: string;
  readonly tradingPair: string;
  readonly tradeId: string;
  readonly exchangeOrderId: string;
  readonly price: Decimal;
  readonly amount: Decimal;
  readonly quoteAmount: Decimal;
  readonly commission: Decimal;
  readonly commissionAsset: string | null;
  readonly time: number;
  readonly side: TradeType;
  readonly isMaker: boolean;
}

/**
 * Whose fills these are. Either the one order the trades were fetched for (`myTrades?orderId=`):
 * entries of any other order are left in `unmatched`. Or a lookup from exchange order id to the
 * tracked order's client id (undefined: not tracked, the entry goes to `unmatched`).
 */
export type TradeOwner = { readonly clientOrderId: string; readonly exchangeOrderId: string } | ((exchangeOrderId: string) => string | undefined);

export interface ParsedTrades {
  /** Fills of the owner's orders, ready for the tracker. */
  readonly trades: readonly TradeUpdate[];
  /** Fills of other orders of the account. */
  readonly unmatched: readonly AccountTrade[];
  /** Entries that could not be read, or on symbols outside the map. */
  readonly skipped: readonly ParseFailure[];
}

const tradeSchema = z.object({
  symbol: z.string().min(1),
  id: int,
  orderId: int,
  price: amountString,
  qty: amountString,
  quoteQty: amountString,
  commission: amountString,
  commissionAsset: z.string().nullable(),
  time: int,
  isBuyer: z.boolean(),
  isMaker: z.boolean(),
});

const WHAT = 'myTrades entry';

/** One myTrades entry. */
export function parseAccountTrade(entry: unknown, symbols: SymbolToPair): ParseResult<AccountTrade> {
  const parsed = parseSchema(tradeSchema, entry, WHAT);
  if (!parsed.ok) return parsed;
  const t = parsed.value;
  const pair = pairOf(symbols, t.symbol, WHAT);
  if (!pair.ok) return pair;
  return ok({
    symbol: t.symbol,
    tradingPair: pair.value,
    tradeId: String(t.id),
    exchangeOrderId: String(t.orderId),
    price: t.price,
    amount: t.qty,
    quoteAmount: t.quoteQty,
    commission: t.commission,
    commissionAsset: t.commissionAsset,
    time: t.time,
    side: t.isBuyer ? TradeType.BUY : TradeType.SELL,
    isMaker: t.isMaker,
  });
}

export function accountTradeToUpdate(trade: AccountTrade, clientOrderId: string): TradeUpdate {
  return {
    tradeId: trade.tradeId,
    clientOrderId,
    exchangeOrderId: trade.exchangeOrderId,
    tradingPair: trade.tradingPair,
    fillTimestamp: trade.time,
    fillPrice: trade.price,
    fillBaseAmount: trade.amount,
    fillQuoteAmount: trade.quoteAmount,
    fee: fillFee(trade.side, trade.commissionAsset, trade.commission),
    isMaker: trade.isMaker,
  };
}

/** `GET /api/v3/myTrades` → TradeUpdates of `owner`'s orders; one bad entry does not lose the others. */
export function parseMyTrades(body: unknown, symbols: SymbolToPair, owner: TradeOwner): ParseResult<ParsedTrades> {
  if (!Array.isArray(body)) return fail('malformed', 'myTrades', '', 'is not an array', body);
  const resolve =
    typeof owner === 'function' ? owner : (exchangeOrderId: string) => (exchangeOrderId === owner.exchangeOrderId ? owner.clientOrderId : undefined);
  const trades: TradeUpdate[] = [];
  const unmatched: AccountTrade[] = [];
  const skipped: ParseFailure[] = [];
  for (const entry of body as unknown[]) {
    const parsed = parseAccountTrade(entry, symbols);
    if (!parsed.ok) {
      skipped.push(parsed);
      continue;
    }
    const clientOrderId = resolve(parsed.value.exchangeOrderId);
    if (clientOrderId === undefined) unmatched.push(parsed.value);
    else trades.push(accountTradeToUpdate(parsed.value, clientOrderId));
  }
  return ok({ trades, unmatched, skipped });
}
