import { describe, expect, it } from 'vitest';
import { InFlightOrder } from '../../../src/core/orders/in-flight-order.js';
import { toLimitOrder } from '../../../src/core/orders/limit-order.js';
import { OrderType, TradeType } from '../../../src/core/types.js';
import { fill, orderInit } from '../support/orders.js';

describe('toLimitOrder', () => {
  it('lists a tracked limit order with its fills, and skips market orders', () => {
    const o = new InFlightOrder(orderInit({ tradeType: TradeType.SELL, exchangeOrderId: 'e1' }));
    o.updateWithTradeUpdate(fill('t1', '0.25'));
    const l = toLimitOrder(o)!;
    expect(l).toMatchObject({ clientOrderId: 'c1', exchangeOrderId: 'e1', isBuy: false, baseCurrency: 'BTC', quoteCurrency: 'USDT' });
    expect(l.filledQuantity.toString()).toBe('0.25');
    expect(toLimitOrder(new InFlightOrder(orderInit({ orderType: OrderType.MARKET, price: undefined })))).toBeUndefined();
  });
});
