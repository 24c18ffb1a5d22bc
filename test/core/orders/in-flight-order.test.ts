import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, RequestTimeoutError } from '../../../src/core/errors.js';
import { InFlightOrder } from '../../../src/core/orders/in-flight-order.js';
import { OrderState, OrderType } from '../../../src/core/types.js';
import { d, feeIn, fill, orderInit, update } from '../support/orders.js';

const order = (o = {}) => new InFlightOrder(orderInit(o));

describe('InFlightOrder predicates', () => {
  it('isDone is true for every terminal state and only those', () => {
    for (const s of Object.values(OrderState)) {
      const o = order({ initialState: s });
      expect(o.isDone).toBe(['FILLED', 'CANCELED', 'FAILED', 'EXPIRED'].includes(s));
      expect(o.isOpen).toBe(!o.isDone);
    }
  });

  it('isFailure, isCancelled, isExpired, isPendingCreate name one state each', () => {
    expect(order({ initialState: OrderState.FAILED }).isFailure).toBe(true);
    expect(order({ initialState: OrderState.CANCELED }).isFailure).toBe(false);
    expect(order({ initialState: OrderState.CANCELED }).isCancelled).toBe(true);
    expect(order({ initialState: OrderState.EXPIRED }).isCancelled).toBe(false);
    expect(order({ initialState: OrderState.EXPIRED }).isExpired).toBe(true);
    expect(order().isPendingCreate).toBe(true);
    expect(order({ initialState: OrderState.OPEN }).isPendingCreate).toBe(false);
    expect(order({ initialState: OrderState.PENDING_CANCEL }).isPendingCancelConfirmation).toBe(true);
  });

  it('isFilled depends on the fills, not on the reported state', () => {
    const o = order({ initialState: OrderState.OPEN });
    expect(o.isFilled).toBe(false);
    o.updateWithTradeUpdate(fill('t1', '0.4'));
    expect(o.isFilled).toBe(false);
    o.updateWithTradeUpdate(fill('t2', '0.6'));
    expect(o.isFilled).toBe(true);
    expect(o.isDone).toBe(false);
  });
});

describe('InFlightOrder.updateWithTradeUpdate', () => {
  it('adds fills, sums exact amounts and returns whether it changed', () => {
    const o = order();
    expect(o.updateWithTradeUpdate(fill('t1', '0.1', '100.1'))).toBe(true);
    expect(o.updateWithTradeUpdate(fill('t2', '0.2', '100.2'))).toBe(true);
    expect(o.executedAmountBase.toString()).toBe('0.3');
    expect(o.executedAmountQuote.toString()).toBe('30.05');
    expect(o.averageExecutedPrice!.toString()).toBe(d('30.05').div('0.3').toString());
    expect(o.remainingAmount.toString()).toBe('0.7');
  });

  it('counts the same trade id once', () => {
    const o = order();
    expect(o.updateWithTradeUpdate(fill('t1', '0.5'))).toBe(true);
    expect(o.updateWithTradeUpdate(fill('t1', '0.5'))).toBe(false);
    expect(o.applyTradeUpdate(fill('t1', '0.4')).conflicting).toBe(true);
    expect(o.executedAmountBase.toString()).toBe('0.5');
    expect(o.orderFills.size).toBe(1);
  });

  it('refuses a fill of another order', () => {
    const o = order({ exchangeOrderId: 'e1' });
    expect(o.updateWithTradeUpdate(fill('t1', '0.5', '100', { clientOrderId: 'other', exchangeOrderId: 'e9' }))).toBe(false);
    expect(o.updateWithTradeUpdate(fill('t1', '0.5', '100', { tradingPair: 'ETH-USDT' }))).toBe(false);
    expect(o.orderFills.size).toBe(0);
    // Matching the exchange id is enough (Binance reports cancels under another client id).
    expect(o.updateWithTradeUpdate(fill('t2', '0.5', '100', { clientOrderId: 'cancel-id', exchangeOrderId: 'e1' }))).toBe(true);
  });

  it('records and flags an overfill instead of clipping it', () => {
    const o = order();
    o.updateWithTradeUpdate(fill('t1', '0.8'));
    o.updateWithTradeUpdate(fill('t2', '0.5'));
    expect(o.executedAmountBase.toString()).toBe('1.3');
    expect(o.isOverfilled).toBe(true);
    expect(o.overfillAmount.toString()).toBe('0.3');
    expect(o.remainingAmount.toString()).toBe('0');
  });

  it('still applies fills to a cancelled, expired or failed order', () => {
    for (const s of [OrderState.CANCELED, OrderState.EXPIRED, OrderState.FAILED]) {
      const o = order({ initialState: s });
      expect(o.updateWithTradeUpdate(fill('t1', '0.5'))).toBe(true);
      expect(o.currentState).toBe(s);
    }
  });

  it('refuses negative, zero and NaN amounts with the field name, changing nothing', () => {
    const o = order();
    expect(() => o.updateWithTradeUpdate(fill('t1', '-1'))).toThrow(/fillBaseAmount/);
    expect(() => o.updateWithTradeUpdate(fill('t1', '0'))).toThrow(InvalidArgumentError);
    expect(() => o.updateWithTradeUpdate(fill('t1', '1', '100', { fillPrice: d(NaN) }))).toThrow(/fillPrice/);
    expect(() => o.updateWithTradeUpdate(fill('t1', '1', '100', { fillQuoteAmount: d(-5) }))).toThrow(/fillQuoteAmount/);
    expect(() => o.updateWithTradeUpdate(fill('t1', '1', '100', { fee: feeIn('BTC', 'NaN' as never) }))).toThrow();
    expect(o.orderFills.size).toBe(0);
    expect(o.executedAmountBase.toString()).toBe('0');
  });

  it('sums fees per token', () => {
    const o = order();
    o.updateWithTradeUpdate(fill('t1', '0.5', '100', { fee: feeIn('BNB', '0.01') }));
    o.updateWithTradeUpdate(fill('t2', '0.5', '100', { fee: feeIn('BNB', '0.02') }));
    o.updateWithTradeUpdate(fill('t3', '0.1', '100', { fee: feeIn('USDT', '0.5') }));
    const fees = o.feesPaidByToken();
    expect(fees.get('BNB')!.toString()).toBe('0.03');
    expect(fees.get('USDT')!.toString()).toBe('0.5');
    expect(o.cumulativeFeePaid('BNB', (a, from, to) => (from === 'USDT' && to === 'BNB' ? a.div(500) : undefined)).toString()).toBe('0.031');
    expect(() => o.cumulativeFeePaid('BNB')).toThrow(/rate/);
  });
});

describe('InFlightOrder.updateWithOrderUpdate', () => {
  it('moves forward along the table and ignores backward or post-terminal reports', () => {
    const o = order();
    expect(o.updateWithOrderUpdate(update(OrderState.OPEN))).toBe(true);
    expect(o.updateWithOrderUpdate(update(OrderState.PARTIALLY_FILLED))).toBe(true);
    expect(o.applyOrderUpdate(update(OrderState.OPEN)).transition).toBe('stale');
    expect(o.currentState).toBe(OrderState.PARTIALLY_FILLED);
    expect(o.updateWithOrderUpdate(update(OrderState.CANCELED))).toBe(true);
    expect(o.applyOrderUpdate(update(OrderState.FILLED)).transition).toBe('conflict');
    expect(o.currentState).toBe(OrderState.CANCELED);
  });

  it('adopts the first exchange id and never replaces it', () => {
    const o = order();
    const r = o.applyOrderUpdate(update(OrderState.OPEN, { exchangeOrderId: 'e1' }));
    expect(r.exchangeOrderIdAdopted).toBe(true);
    expect(o.applyOrderUpdate(update(OrderState.OPEN, { exchangeOrderId: 'e2' })).exchangeOrderIdConflict).toBe(true);
    expect(o.exchangeOrderId).toBe('e1');
  });

  it('is acknowledged by a live state, an exchange id or a fill, but not by a failure', () => {
    const failed = order();
    failed.applyOrderUpdate(update(OrderState.FAILED, { exchangeOrderId: undefined, errorType: 'InsufficientFunds', errorMessage: 'no money' }));
    expect(failed.isAcknowledged).toBe(false);
    expect(failed.failure).toEqual({ type: 'InsufficientFunds', message: 'no money' });

    const open = order();
    expect(open.applyOrderUpdate(update(OrderState.OPEN, { exchangeOrderId: undefined })).acknowledged).toBe(true);
    const filled = order();
    expect(filled.applyTradeUpdate(fill('t1', '0.1')).acknowledged).toBe(true);
    // Cancel asked before the create was acknowledged: the late acknowledgement still counts.
    const racing = order();
    racing.applyOrderUpdate(update(OrderState.PENDING_CANCEL, { exchangeOrderId: undefined }));
    expect(racing.isAcknowledged).toBe(false);
    const late = racing.applyOrderUpdate(update(OrderState.OPEN));
    expect(late.transition).toBe('stale');
    expect(late.acknowledged).toBe(true);
    expect(racing.exchangeOrderId).toBe('e1');
  });

  it('does not match an update for another order', () => {
    const o = order({ exchangeOrderId: 'e1' });
    expect(o.applyOrderUpdate(update(OrderState.OPEN, { clientOrderId: 'x', exchangeOrderId: 'e2' })).matched).toBe(false);
    expect(o.applyOrderUpdate(update(OrderState.OPEN, { clientOrderId: 'x', exchangeOrderId: 'e1' })).matched).toBe(true);
  });

  it('refuses a malformed update', () => {
    const o = order();
    expect(() => o.applyOrderUpdate(update('NOPE' as OrderState))).toThrow(/newState/);
    expect(() => o.applyOrderUpdate(update(OrderState.OPEN, { updateTimestamp: Number.NaN }))).toThrow(/updateTimestamp/);
  });
});

describe('InFlightOrder construction', () => {
  it('refuses bad orders with the field name', () => {
    expect(() => order({ amount: d(-1) })).toThrow(/amount/);
    expect(() => order({ amount: d(NaN) })).toThrow(/amount/);
    expect(() => order({ price: d(0) })).toThrow(/price/);
    expect(() => order({ price: undefined })).toThrow(/price is required/);
    expect(() => order({ tradingPair: 'BTCUSDT' })).toThrow(/tradingPair/);
    expect(() => order({ clientOrderId: '' })).toThrow(/clientOrderId/);
    expect(order({ price: undefined, orderType: OrderType.MARKET }).price).toBeUndefined();
  });
});

describe('InFlightOrder awaitables', () => {
  it('resolves the exchange id when it becomes known, and times out otherwise', async () => {
    const o = order();
    await expect(o.getExchangeOrderId(10)).rejects.toBeInstanceOf(RequestTimeoutError);
    const waiting = o.getExchangeOrderId(5_000);
    o.updateExchangeOrderId('e7');
    await expect(waiting).resolves.toBe('e7');
    await expect(order({ exchangeOrderId: 'e8' }).getExchangeOrderId(1)).resolves.toBe('e8');
  });

  it('resolves when done, with the final state', async () => {
    const o = order();
    const done = o.waitUntilDone(5_000);
    o.updateWithOrderUpdate(update(OrderState.OPEN));
    o.updateWithOrderUpdate(update(OrderState.EXPIRED));
    await expect(done).resolves.toBe(OrderState.EXPIRED);
    await expect(order().waitUntilDone(5)).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it('says whether the exchange acknowledged the order before it ended', async () => {
    const acked = order();
    const a = acked.waitUntilAcknowledged(5_000);
    acked.updateWithOrderUpdate(update(OrderState.OPEN));
    await expect(a).resolves.toBe(true);
    const failed = order();
    const f = failed.waitUntilAcknowledged(5_000);
    failed.updateWithOrderUpdate(update(OrderState.FAILED, { exchangeOrderId: undefined }));
    await expect(f).resolves.toBe(false);
  });
});
