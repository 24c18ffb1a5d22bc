import { describe, expect, it } from 'vitest';
import { OrderState, OrderType, TradeType } from '../../../src/core/types.js';
import { parseMyTrades, parseOrder, parseOrderAck, parseOrderList, toOpenOrder } from '../../../src/exchanges/binance/parse.js';
import { SYMBOLS, expectOk, fixture, patched } from './support.js';

describe('REST order answers', () => {
  it('GET /api/v3/order: OPEN, cumulative amount from executedQty, timestamp from updateTime', () => {
    const { order, orderUpdate, tradeUpdates } = expectOk(parseOrder(fixture('order-query'), SYMBOLS));
    expect(orderUpdate).toMatchObject({ clientOrderId: 'myOrder1', tradingPair: 'LTC-BTC', newState: OrderState.OPEN, updateTimestamp: 1499827319559, exchangeOrderId: '1' });
    expect(orderUpdate.cumulativeFilledAmount?.toString()).toBe('0');
    expect(tradeUpdates).toEqual([]);
    expect(order).toMatchObject({ side: TradeType.BUY, binanceType: 'LIMIT', orderType: OrderType.LIMIT, status: 'NEW', creationTime: 1499827319559, isWorking: true });
    expect(order.cancelClientOrderId).toBeUndefined();
  });

  it("DELETE /api/v3/order: the order's id is origClientOrderId, clientOrderId is the cancel's", () => {
    const { order, orderUpdate } = expectOk(parseOrder(fixture('order-cancel'), SYMBOLS));
    expect(orderUpdate.clientOrderId).toBe('myOrder1');
    expect(order.cancelClientOrderId).toBe('cancelMyOrder1');
    expect(orderUpdate.newState).toBe(OrderState.CANCELED);
    expect(orderUpdate.updateTimestamp).toBe(1684804350068);
  });

  it('POST RESULT and FULL: state and, for FULL, the immediate fills as taker trades', () => {
    const result = expectOk(parseOrder(fixture('order-result'), SYMBOLS));
    expect(result.orderUpdate).toMatchObject({ clientOrderId: '6gCrw2kRUAF9CvJDGP16IP', newState: OrderState.FILLED, exchangeOrderId: '28', updateTimestamp: 1507725176595 });
    expect(result.orderUpdate.cumulativeFilledAmount?.toString()).toBe('10');
    expect(result.tradeUpdates).toEqual([]);

    const full = expectOk(parseOrder(fixture('order-full'), SYMBOLS));
    expect(full.tradeUpdates).toHaveLength(1);
    const fill = full.tradeUpdates[0]!;
    expect(fill).toMatchObject({ tradeId: '56', clientOrderId: '6gCrw2kRUAF9CvJDGP16IP', exchangeOrderId: '28', tradingPair: 'BTC-USDT', fillTimestamp: 1507725176595, isMaker: false });
    expect([fill.fillPrice.toString(), fill.fillBaseAmount.toString(), fill.fillQuoteAmount.toString()]).toEqual(['4000', '1', '4000']);
    expect(fill.fee.flatFees.map((f) => [f.token, f.amount.toString()])).toEqual([['USDT', '4']]);
  });

  it('a MARKET order that ran out of liquidity is EXPIRED with its partial fills (market orders FAQ)', () => {
    const { orderUpdate, tradeUpdates, order } = expectOk(parseOrder(fixture('order-market-expired'), SYMBOLS));
    expect(orderUpdate.newState).toBe(OrderState.EXPIRED);
    expect(orderUpdate.cumulativeFilledAmount?.toString()).toBe('4');
    expect(tradeUpdates.map((t) => t.tradeId)).toEqual(['7', '8']);
    expect(order.price.isZero()).toBe(true);
    expect(order.orderType).toBe(OrderType.MARKET);
  });

  it('ACK: the ids and transaction time, from any create answer', () => {
    for (const name of ['order-ack', 'order-result', 'order-full']) {
      expect(expectOk(parseOrderAck(fixture(name), SYMBOLS))).toEqual({
        symbol: 'BTCUSDT',
        tradingPair: 'BTC-USDT',
        exchangeOrderId: '28',
        clientOrderId: '6gCrw2kRUAF9CvJDGP16IP',
        transactTime: 1507725176595,
      });
    }
    // an ACK has no status: it is not an order state
    const r = parseOrder(fixture('order-ack'), SYMBOLS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.field).toBe('price');
  });

  it('openOrders: each entry parsed, a bad one skipped, OpenOrder views for venuekit types', () => {
    const q = fixture('order-query');
    const list = expectOk(
      parseOrderList([q, patched(q, { orderId: 2, clientOrderId: 'stop1', type: 'STOP_LOSS_LIMIT' }), patched(q, { status: 7 }), patched(q, { symbol: 'DOGEUSDT' })], SYMBOLS),
    );
    expect(list.orders.map((o) => o.order.clientOrderId)).toEqual(['myOrder1', 'stop1']);
    expect(list.skipped.map((s) => s.reason)).toEqual(['malformed', 'unknown_symbol']);
    expect(toOpenOrder(list.orders[0]!.order)).toEqual({
      clientOrderId: 'myOrder1',
      exchangeOrderId: '1',
      tradingPair: 'LTC-BTC',
      price: list.orders[0]!.order.price,
      amount: list.orders[0]!.order.amount,
      executedAmount: list.orders[0]!.order.executedAmount,
      status: 'NEW',
      orderType: OrderType.LIMIT,
      isBuy: true,
      time: 1499827319559,
    });
    expect(toOpenOrder(list.orders[1]!.order)).toBeUndefined();
    expect(parseOrderList({}, SYMBOLS).ok).toBe(false);
  });

  it('refuses malformed answers with the field named', () => {
    const q = fixture('order-query');
    const cases: Array<[unknown, string]> = [
      [patched(q, { orderId: '1' }), 'orderId'],
      [patched(q, { executedQty: 0 }), 'executedQty'],
      [patched(q, { status: 'DONE' }), 'status'],
      [patched(q, { side: 'buy' }), 'side'],
      [patched(q, { updateTime: undefined, time: undefined, workingTime: undefined }), 'updateTime'],
      [patched(q, { clientOrderId: '' }), 'clientOrderId'],
    ];
    for (const [body, field] of cases) {
      const r = parseOrder(body, SYMBOLS);
      expect(r.ok, field).toBe(false);
      if (!r.ok) expect(r.error.field).toBe(field);
    }
  });
});

describe('parseMyTrades', () => {
  const trades = fixture('my-trades') as unknown[];

  it('maps the documented entry for the order the caller names', () => {
    const parsed = expectOk(parseMyTrades(trades, SYMBOLS, { clientOrderId: 'vk-1', exchangeOrderId: '100234' }));
    expect(parsed.unmatched).toEqual([]);
    expect(parsed.trades).toHaveLength(1);
    const t = parsed.trades[0]!;
    expect(t).toMatchObject({ tradeId: '28457', clientOrderId: 'vk-1', exchangeOrderId: '100234', tradingPair: 'BNB-BTC', fillTimestamp: 1499865549590, isMaker: false });
    expect([t.fillPrice.toString(), t.fillBaseAmount.toString(), t.fillQuoteAmount.toString()]).toEqual(['4.000001', '12', '48.000012']);
    expect(t.fee.flatFees.map((f) => [f.token, f.amount.toString()])).toEqual([['BNB', '10.1']]);
  });

  it('leaves trades of other orders unmatched, resolves with a lookup, skips bad entries', () => {
    const other = patched(trades[0], { id: 28458, orderId: 555, isBuyer: false, isMaker: true });
    const bad = patched(trades[0], { qty: 12 });
    const byOrder = expectOk(parseMyTrades([trades[0], other, bad], SYMBOLS, { clientOrderId: 'vk-1', exchangeOrderId: '100234' }));
    expect(byOrder.trades.map((t) => t.tradeId)).toEqual(['28457']);
    expect(byOrder.unmatched.map((t) => [t.tradeId, t.side, t.isMaker])).toEqual([['28458', TradeType.SELL, true]]);
    expect(byOrder.skipped.map((s) => s.error.field)).toEqual(['qty']);

    const lookup = expectOk(parseMyTrades([trades[0], other], SYMBOLS, (id) => (id === '555' ? 'vk-2' : undefined)));
    expect(lookup.trades.map((t) => [t.tradeId, t.clientOrderId])).toEqual([['28458', 'vk-2']]);
    expect(parseMyTrades('x', SYMBOLS, () => undefined).ok).toBe(false);
  });
});
