import { Decimal } from '../../../src/core/decimal.js';
import type { TradeFee } from '../../../src/core/fees/trade-fee.js';
import type { InFlightOrderInit } from '../../../src/core/orders/in-flight-order.js';
import type { OrderUpdate, TradeUpdate } from '../../../src/core/orders/updates.js';
import { OrderType, TradeType, type OrderState } from '../../../src/core/types.js';

/** Small builders for orders and updates in tests. */

export const d = (v: string | number) => new Decimal(v);

export function orderInit(overrides: Partial<InFlightOrderInit> = {}): InFlightOrderInit {
  return {
    clientOrderId: 'c1',
    tradingPair: 'BTC-USDT',
    orderType: OrderType.LIMIT,
    tradeType: TradeType.BUY,
    amount: d('1'),
    price: d('100'),
    creationTimestamp: 1_000,
    ...overrides,
  };
}

export function feeIn(token: string, amount: string): TradeFee {
  return { kind: 'deducted_from_returns', percent: d(0), flatFees: [{ token, amount: d(amount) }] };
}

export function fill(tradeId: string, base: string, price = '100', overrides: Partial<TradeUpdate> = {}): TradeUpdate {
  return {
    tradeId,
    clientOrderId: 'c1',
    exchangeOrderId: 'e1',
    tradingPair: 'BTC-USDT',
    fillTimestamp: 2_000,
    fillPrice: d(price),
    fillBaseAmount: d(base),
    fillQuoteAmount: d(base).mul(price),
    fee: feeIn('BTC', d(base).mul('0.001').toString()),
    ...overrides,
  };
}

export function update(newState: OrderState, overrides: Partial<OrderUpdate> = {}): OrderUpdate {
  return {
    clientOrderId: 'c1',
    exchangeOrderId: 'e1',
    tradingPair: 'BTC-USDT',
    newState,
    updateTimestamp: 1_500,
    ...overrides,
  };
}
