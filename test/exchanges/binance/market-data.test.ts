import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../src/core/book/order-book.js';
import { parseDepthSnapshot, parseDepthUpdate, parsePublicTrade, parseStreamMessage, type ParseResult } from '../../../src/exchanges/binance/parse.js';
import { SYMBOLS, expectOk, fixture, patched } from './support.js';

describe('book data', () => {
  it('depth snapshot: lastUpdateId and the exchange strings, untouched', () => {
    expect(expectOk(parseDepthSnapshot(fixture('depth-snapshot')))).toEqual({
      updateId: 1027024,
      bids: [['4.00000000', '431.00000000']],
      asks: [['4.00000200', '12.00000000']],
    });
  });

  it('depth diff: U/u, b/a, pair from the symbol map', () => {
    expect(expectOk(parseDepthUpdate(fixture('depth-update'), SYMBOLS))).toEqual({
      symbol: 'BNBBTC',
      tradingPair: 'BNB-BTC',
      eventTime: 1672515782136,
      diff: { firstUpdateId: 157, updateId: 160, bids: [['0.0024', '10']], asks: [['0.0026', '100']] },
    });
  });

  it('trade stream: m (buyer is maker) kept, strings exact', () => {
    expect(expectOk(parsePublicTrade(fixture('trade'), SYMBOLS))).toEqual({
      symbol: 'BNBBTC',
      tradingPair: 'BNB-BTC',
      eventTime: 1672515782136,
      trade: { tradeId: '12345', price: '0.001', amount: '100', timestamp: 1672515782136, buyerIsMaker: true },
    });
  });

  it('feeds the core order book, which prints the exchange strings', () => {
    const snapshot = expectOk(parseDepthSnapshot(fixture('depth-snapshot')));
    const book = new OrderBook();
    book.applySnapshot(snapshot.bids, snapshot.asks, snapshot.updateId);
    expect(book.snapshot().bids[0]).toEqual({ price: '4.00000000', amount: '431.00000000' });
  });

  it('refuses malformed book data with the field named', () => {
    const cases: Array<[ParseResult<unknown>, string]> = [
      [parseDepthSnapshot(patched(fixture('depth-snapshot'), { bids: [[4, '1']] })), 'bids'],
      [parseDepthSnapshot(patched(fixture('depth-snapshot'), { asks: [['1']] })), 'asks'],
      [parseDepthSnapshot(patched(fixture('depth-snapshot'), { lastUpdateId: '1' })), 'lastUpdateId'],
      [parseDepthUpdate(patched(fixture('depth-update'), { U: 161 }), SYMBOLS), 'U'],
      [parseDepthUpdate(patched(fixture('depth-update'), { b: 'x' }), SYMBOLS), 'b'],
      [parsePublicTrade(patched(fixture('trade'), { p: 0.001 }), SYMBOLS), 'p'],
    ];
    for (const [r, field] of cases) {
      expect(r.ok, field).toBe(false);
      if (!r.ok) expect(r.error.field).toBe(field);
    }
    const unknown = parseDepthUpdate(patched(fixture('depth-update'), { s: 'DOGEUSDT' }), SYMBOLS);
    expect(!unknown.ok && unknown.reason).toBe('unknown_symbol');
  });
});

describe('parseStreamMessage', () => {
  it('tells answers, errors, shutdown notices and data apart, unwrapping combined frames', () => {
    expect(expectOk(parseStreamMessage({ result: null, id: 1 }))).toEqual({ kind: 'result', id: 1, result: null });
    expect(expectOk(parseStreamMessage({ code: 2, msg: 'Invalid request', id: 5 }))).toEqual({ kind: 'error', code: 2, msg: 'Invalid request', id: 5 });
    expect(expectOk(parseStreamMessage({ e: 'serverShutdown', E: 9 }))).toEqual({ kind: 'serverShutdown', eventTime: 9 });
    expect(expectOk(parseStreamMessage({ stream: '!serverShutdown', data: { e: 'serverShutdown', E: 9 } }))).toEqual({ kind: 'serverShutdown', eventTime: 9 });
    const raw = fixture('depth-update') as Record<string, unknown>;
    expect(expectOk(parseStreamMessage(raw))).toEqual({ kind: 'data', eventType: 'depthUpdate', data: raw });
    expect(expectOk(parseStreamMessage({ stream: 'bnbbtc@depth@100ms', data: raw }))).toEqual({
      kind: 'data',
      stream: 'bnbbtc@depth@100ms',
      eventType: 'depthUpdate',
      data: raw,
    });
    for (const bad of [null, 3, 'x', [], { stream: 's', data: 4 }, { result: 1, id: {} }]) expect(parseStreamMessage(bad).ok).toBe(false);
  });
});
