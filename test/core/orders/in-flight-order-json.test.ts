import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedDataError } from '../../../src/core/json.js';
import { InFlightOrder } from '../../../src/core/orders/in-flight-order.js';
import { OrderState, OrderType, TradeType } from '../../../src/core/types.js';
import { runs } from '../../support/soak.js';
import { d, fill, orderInit, update } from '../support/orders.js';

const roundTrip = (o: InFlightOrder) => InFlightOrder.fromJSON(JSON.parse(JSON.stringify(o.toJSON())));

describe('InFlightOrder JSON', () => {
  it('round-trips every state, with and without partial fills', () => {
    for (const state of Object.values(OrderState)) {
      const bare = new InFlightOrder(orderInit({ initialState: state }));
      expect(roundTrip(bare).equals(bare)).toBe(true);

      const o = new InFlightOrder(orderInit({ exchangeOrderId: 'e1' }));
      o.updateWithTradeUpdate(fill('t1', '0.25', '100.5'));
      o.updateWithTradeUpdate(fill('t2', '0.125', '99.75', { isMaker: true }));
      if (state !== OrderState.PENDING_CREATE) {
        o.updateWithOrderUpdate(update(state, { errorType: 'ExchangeError', errorMessage: 'rejected' }));
      }
      const back = roundTrip(o);
      expect(back.equals(o)).toBe(true);
      expect(back.currentState).toBe(o.currentState);
      expect(back.executedAmountBase.toString()).toBe('0.375');
      expect(back.orderFills.get('t2')!.isMaker).toBe(true);
      expect(back.isAcknowledged).toBe(o.isAcknowledged);
      // The restored order still counts each fill once.
      expect(back.updateWithTradeUpdate(fill('t1', '0.25', '100.5'))).toBe(false);
    }
  });

  it('round-trips random orders exactly', () => {
    const decimal = fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 12 })).map(([n, s]) => d(n.toString()).div(d(10).pow(s)));
    fc.assert(
      fc.property(
        fc.record({
          amount: decimal,
          price: fc.option(decimal, { nil: undefined }),
          state: fc.constantFrom(...Object.values(OrderState)),
          side: fc.constantFrom(TradeType.BUY, TradeType.SELL),
          fills: fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), decimal, decimal), { selector: (f) => f[0], maxLength: 6 }),
        }),
        ({ amount, price, state, side, fills }) => {
          const o = new InFlightOrder(
            orderInit({ amount, price, orderType: price ? OrderType.LIMIT : OrderType.MARKET, tradeType: side, initialState: state }),
          );
          for (const [id, base, p] of fills) o.updateWithTradeUpdate(fill(id, base.toString(), p.toString()));
          expect(roundTrip(o).equals(o)).toBe(true);
        },
      ),
      { numRuns: runs(60, 2_000) },
    );
  });

  it('keeps whether a fill\'s quote amount was derived by venuekit (absent means the exchange\'s own)', () => {
    const o = new InFlightOrder(orderInit({ exchangeOrderId: 'e1' }));
    o.updateWithTradeUpdate(fill('t1', '0.25', '100.5', { quoteAmountDerived: true }));
    o.updateWithTradeUpdate(fill('t2', '0.125', '99.75'));
    const json = JSON.parse(JSON.stringify(o.toJSON())) as { orderFills: Record<string, Record<string, unknown>> };
    expect(json.orderFills['t1']!['quoteAmountDerived']).toBe(true);
    expect('quoteAmountDerived' in json.orderFills['t2']!).toBe(false);
    const back = InFlightOrder.fromJSON(json);
    expect(back.orderFills.get('t1')!.quoteAmountDerived).toBe(true);
    expect(back.orderFills.get('t2')!.quoteAmountDerived).toBeUndefined();
  });

  it('writes decimals as strings and a version', () => {
    const o = new InFlightOrder(orderInit({ amount: d('0.00000001'), price: d('123456789.12345678') }));
    const json = o.toJSON();
    expect(json.version).toBe(1);
    expect(json.amount).toBe('0.00000001');
    expect(typeof json.price).toBe('string');
    expect(json.price).toBe('123456789.12345678');
    expect(json.executedAmountBase).toBe('0');
  });

  it('tolerates missing optional fields', () => {
    const o = InFlightOrder.fromJSON({
      clientOrderId: 'c9',
      tradingPair: 'ETH-USDT',
      orderType: 'MARKET',
      tradeType: 'SELL',
      amount: '2',
      currentState: 'OPEN',
    });
    expect(o.price).toBeUndefined();
    expect(o.exchangeOrderId).toBeUndefined();
    expect(o.orderFills.size).toBe(0);
    expect(o.executedAmountBase.toString()).toBe('0');
    expect(o.isAcknowledged).toBe(true);
    // Totals without fills (an older save) are kept.
    const totals = InFlightOrder.fromJSON({ ...o.toJSON(), orderFills: undefined, executedAmountBase: '0.5', executedAmountQuote: '50' });
    expect(totals.executedAmountBase.toString()).toBe('0.5');
    // Fills after such a restore add to those totals, and the result still reads back equal.
    totals.updateWithTradeUpdate(fill('t1', '0.25', '100', { clientOrderId: 'c9', tradingPair: 'ETH-USDT' }));
    expect(totals.executedAmountBase.toString()).toBe('0.75');
    expect(totals.toJSON().executedBeforeFills).toEqual({ base: '0.5', quote: '50' });
    expect(roundTrip(totals).equals(totals)).toBe(true);
  });

  it('names the bad field in malformed input', () => {
    const good = new InFlightOrder(orderInit());
    good.updateWithTradeUpdate(fill('t1', '0.5'));
    const json = JSON.parse(JSON.stringify(good.toJSON())) as Record<string, unknown>;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...json, amount: 'lots' }, /"amount" is not a finite decimal/],
      [{ ...json, amount: 0.1 }, /"amount"/],
      [{ ...json, price: 'NaN' }, /"price"/],
      [{ ...json, currentState: 'DONE' }, /"currentState"/],
      [{ ...json, tradeType: 'HOLD' }, /"tradeType"/],
      [{ ...json, clientOrderId: undefined }, /"clientOrderId" is missing/],
      [{ ...json, version: 7 }, /"version"/],
      [{ ...json, amount: '-1' }, /amount/],
      [{ ...json, executedAmountBase: '9' }, /executedAmountBase/],
      [{ ...json, orderFills: { t1: { ...(json.orderFills as Record<string, object>).t1, fillBaseAmount: 'x' } } }, /"orderFills.t1.fillBaseAmount"/],
      [{ ...json, orderFills: { t9: (json.orderFills as Record<string, object>).t1 } }, /orderFills.t9.tradeId/],
    ];
    for (const [bad, message] of cases) {
      expect(() => InFlightOrder.fromJSON(bad)).toThrow(MalformedDataError);
      expect(() => InFlightOrder.fromJSON(bad)).toThrow(message);
    }
    expect(() => InFlightOrder.fromJSON(null)).toThrow(MalformedDataError);
    expect(() => InFlightOrder.fromJSON('{"clientOrderId":')).toThrow(MalformedDataError);
  });
});
