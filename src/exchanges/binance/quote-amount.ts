import type { Decimal } from '../../core/decimal.js';
import type { TradeUpdate } from '../../core/orders/updates.js';

/**
 * A fill's quote amount as Binance reports it (myTrades' `quoteQty`, the stream's `Y`): price × qty
 * cut down to the quote asset's precision (the simulator does the same: `notionalFloor`). The
 * create answer (FULL) gives no quote amount per fill, so its fills are given this one; with the
 * raw product (9 places on ETH-BTC, BTC has 8) the same trade was recorded with a different amount
 * depending on which source delivered it first.
 */
export function exchangeQuoteAmount(price: Decimal, qty: Decimal, quoteIncrement: Decimal | undefined): Decimal {
  const product = price.mul(qty);
  if (quoteIncrement === undefined || quoteIncrement.lte(0)) return product;
  return product.divToInt(quoteIncrement).mul(quoteIncrement);
}

/** The create answer's fills with their quote amounts derived by the exchange's rule. */
export function withExchangeQuoteAmounts(trades: readonly TradeUpdate[], quoteIncrement: Decimal | undefined): TradeUpdate[] {
  return trades.map((t) => ({ ...t, fillQuoteAmount: exchangeQuoteAmount(t.fillPrice, t.fillBaseAmount, quoteIncrement) }));
}
