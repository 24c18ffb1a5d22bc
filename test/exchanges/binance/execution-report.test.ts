import { describe, expect, it } from 'vitest';
import { OrderState, TradeType } from '../../../src/core/types.js';
import { parseExecutionReport, parseUserDataEvent, parseWsApiMessage } from '../../../src/exchanges/binance/parse.js';
import { SYMBOLS, expectOk, fixture, patched } from './support.js';

const frames = fixture('user-stream-market-expired') as Array<{ event: Record<string, unknown> }>;
const newReport = fixture('execution-report-new');

describe('parseExecutionReport', () => {
  it('maps the documented NEW report to an OPEN update and no fill', () => {
    const { report, orderUpdate, tradeUpdate } = expectOk(parseExecutionReport(newReport, SYMBOLS));
    expect(tradeUpdate).toBeUndefined();
    expect(orderUpdate).toEqual({
      clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW',
      tradingPair: 'ETH-BTC',
      newState: OrderState.OPEN,
      updateTimestamp: 1499405658657,
      exchangeOrderId: '4293153',
      cumulativeFilledAmount: expect.anything(),
    });
    expect(orderUpdate.cumulativeFilledAmount?.isZero()).toBe(true);
    expect(report).toMatchObject({ side: TradeType.BUY, orderType: 'LIMIT', timeInForce: 'GTC', executionType: 'NEW', orderStatus: 'NEW', executionId: 8641984 });
    expect(report.price.toString()).toBe('0.1026441');
    expect(report.rejectReason).toBeUndefined();
    expect(report.commissionAsset).toBeNull();
  });

  it('maps the market-order FAQ sequence: NEW, two fills, EXPIRED (not failed) with the cumulative amount', () => {
    const parsed = frames.slice(0, 4).map((f) => expectOk(parseExecutionReport(f.event, SYMBOLS)));
    expect(parsed.map((p) => p.orderUpdate.newState)).toEqual([OrderState.OPEN, OrderState.PARTIALLY_FILLED, OrderState.PARTIALLY_FILLED, OrderState.EXPIRED]);
    expect(parsed.map((p) => p.orderUpdate.cumulativeFilledAmount?.toString())).toEqual(['0', '2', '4', '4']);
    expect(parsed.map((p) => p.tradeUpdate?.tradeId)).toEqual([undefined, '7', '8', undefined]);

    const fill = parsed[1]!.tradeUpdate!;
    expect(fill).toMatchObject({ clientOrderId: '8LGC97RRgNPVQk979VIhjt', exchangeOrderId: '32', tradingPair: 'LTC-BNB', fillTimestamp: 1719467634105, isMaker: false });
    expect([fill.fillPrice.toString(), fill.fillBaseAmount.toString(), fill.fillQuoteAmount.toString()]).toEqual(['1', '2', '2']);
    expect(fill.fee.percent.isZero()).toBe(true);
    expect(fill.fee.kind).toBe('deducted_from_returns');
    expect(fill.fee.flatFees.map((f) => [f.token, f.amount.toString()])).toEqual([['BNB', '0.001']]);
    expect(parsed[3]!.report.orderStatus).toBe('EXPIRED');
  });

  it('takes the order id from C on a cancel, where c is the cancel request id', () => {
    const cancel = patched(newReport, { x: 'CANCELED', X: 'CANCELED', c: 'cancelRequest42', C: 'mUvoqJxFIILMdfAW5iGSOW' });
    const { orderUpdate, report } = expectOk(parseExecutionReport(cancel, SYMBOLS));
    expect(orderUpdate.clientOrderId).toBe('mUvoqJxFIILMdfAW5iGSOW');
    expect(orderUpdate.newState).toBe(OrderState.CANCELED);
    expect(report.clientOrderId).toBe('mUvoqJxFIILMdfAW5iGSOW');
    // an exchange-initiated cancel with no C keeps c
    expect(expectOk(parseExecutionReport(patched(cancel, { C: '' }), SYMBOLS)).orderUpdate.clientOrderId).toBe('cancelRequest42');
    // C on anything but a cancel is not the order's id
    expect(expectOk(parseExecutionReport(patched(newReport, { C: 'other' }), SYMBOLS)).orderUpdate.clientOrderId).toBe('mUvoqJxFIILMdfAW5iGSOW');
  });

  it.each([
    ['NEW', OrderState.OPEN],
    ['PARTIALLY_FILLED', OrderState.PARTIALLY_FILLED],
    ['FILLED', OrderState.FILLED],
    ['CANCELED', OrderState.CANCELED],
    ['PENDING_CANCEL', OrderState.PENDING_CANCEL],
    ['REJECTED', OrderState.FAILED],
    ['EXPIRED', OrderState.EXPIRED],
    ['EXPIRED_IN_MATCH', OrderState.EXPIRED],
  ])('maps status %s to %s', (status, state) => {
    expect(expectOk(parseExecutionReport(patched(newReport, { X: status }), SYMBOLS)).orderUpdate.newState).toBe(state);
  });

  it('carries the reject reason on a REJECTED update', () => {
    const { orderUpdate, report } = expectOk(parseExecutionReport(patched(newReport, { x: 'REJECTED', X: 'REJECTED', r: 'INSUFFICIENT_BALANCES' }), SYMBOLS));
    expect(orderUpdate.errorType).toBe('REJECTED');
    expect(orderUpdate.errorMessage).toContain('INSUFFICIENT_BALANCES');
    expect(report.rejectReason).toBe('INSUFFICIENT_BALANCES');
  });

  it('reads a maker fill with no quote field (Y) and a zero commission', () => {
    const trade = patched(frames[1]!.event, { m: true, Y: undefined, n: '0', N: null, L: '1.5', l: '0.3' });
    const fill = expectOk(parseExecutionReport(trade, SYMBOLS)).tradeUpdate!;
    expect(fill.isMaker).toBe(true);
    expect(fill.fillQuoteAmount.toString()).toBe('0.45');
    expect(fill.fee.flatFees).toEqual([]);
  });

  it('refuses malformed reports with the field named, and unknown symbols apart', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [patched(newReport, { i: undefined }), 'i'],
      [patched(newReport, { z: 1 }), 'z'],
      [patched(newReport, { q: '1.0.0' }), 'q'],
      [patched(newReport, { X: 'SOMETHING_NEW' }), 'X'],
      [patched(newReport, { S: 'HOLD' }), 'S'],
      [patched(newReport, { T: '1499405658657' }), 'T'],
      [patched(newReport, { c: '' }), 'c'],
      [patched(newReport, { l: '-1' }), 'l'],
      [patched(frames[1]!.event, { t: -1 }), 't'],
      [patched(frames[1]!.event, { l: '0' }), 'l'],
    ];
    for (const [event, field] of cases) {
      const r = parseExecutionReport(event, SYMBOLS);
      expect(r.ok, field).toBe(false);
      if (!r.ok) {
        expect(r.reason).toBe('malformed');
        expect(r.error.field).toBe(field);
        expect(r.error.message).toContain('executionReport');
      }
    }
    const unknown = parseExecutionReport(patched(newReport, { s: 'DOGEUSDT' }), SYMBOLS);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.reason).toBe('unknown_symbol');
  });
});

describe('user stream frames over the WebSocket API', () => {
  it('unwraps {subscriptionId, event} and parses each event of the FAQ sequence', () => {
    const events = frames.map((frame) => {
      const msg = expectOk(parseWsApiMessage(frame));
      if (msg.kind !== 'event') throw new Error(`expected an event, got ${msg.kind}`);
      expect(msg.subscriptionId).toBe(0);
      return expectOk(parseUserDataEvent(msg.event, SYMBOLS));
    });
    expect(events.map((e) => e.type)).toEqual(['executionReport', 'executionReport', 'executionReport', 'executionReport', 'outboundAccountPosition']);
    const position = events[4]!;
    if (position.type !== 'outboundAccountPosition') throw new Error('unreachable');
    expect(position.position.lastUpdateTime).toBe(1719467634105);
    expect(position.position.balances.map((b) => [b.asset, b.available.toString(), b.total.toString()])).toEqual([
      ['LTC', '3011.1174567', '3011.1174567'],
      ['BNB', '996.1186567', '996.1186567'],
    ]);
  });
});
