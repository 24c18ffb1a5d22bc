import { describe, expect, it } from 'vitest';
import { compare, type Snapshot, type Truth } from '../../soak/compare.js';

/** The chaos soak's verdict: it passes only an exact match, and names each kind of discrepancy. */
const fee = (amount: string, token: string) => ({ flatFees: [{ token, amount }] });
function fill(tradeId: string, orderId: string, quote = '61.0001', amount = '0.001') {
  return { clientOrderId: `c${orderId}`, trade: { tradeId, exchangeOrderId: orderId, tradingPair: 'BTC-USDT', fillPrice: '61000.1', fillBaseAmount: amount, fillQuoteAmount: quote, fee: fee('0.000001', 'BTC') } };
}
function base(): { snapshot: Snapshot; truth: Truth } {
  return {
    snapshot: {
      quiet: true,
      lost: [],
      history: {
        orders: [
          { clientOrderId: 'c1', exchangeOrderId: '1', tradingPair: 'BTC-USDT', state: 'FILLED' as never, tracking: 'done', executedAmountBase: '0.001' },
          { clientOrderId: 'c2', exchangeOrderId: '2', tradingPair: 'BTC-USDT', state: 'OPEN' as never, tracking: 'active', executedAmountBase: '0' },
          { clientOrderId: 'c3', tradingPair: 'BTC-USDT', state: 'FAILED' as never, tracking: 'done', executedAmountBase: '0' },
        ],
        fills: [fill('7', '1')],
      },
      balances: [
        { asset: 'BTC', total: '1.000999', available: '1.000999' },
        { asset: 'USDT', total: '938.9999', available: '878.9999' },
      ],
    },
    truth: {
      orders: [
        { pair: 'BTC-USDT', orderId: '1', clientOrderId: 'c1', status: 'FILLED', executedQty: '0.00100000' },
        { pair: 'BTC-USDT', orderId: '2', clientOrderId: 'c2', status: 'NEW', executedQty: '0' },
      ],
      fills: [{ pair: 'BTC-USDT', tradeId: '7', orderId: '1', price: '61000.10', qty: '0.001', quoteQty: '61.0001', commission: '0.000001', commissionAsset: 'BTC' }],
      balances: { BTC: { free: '1.000999', locked: '0' }, USDT: { free: '878.9999', locked: '60' }, ETH: { free: '0', locked: '0' } },
    },
  };
}

describe('soak compare', () => {
  it('passes an exact match (decimals compared as numbers: 61000.10 is 61000.1)', () => {
    const { snapshot, truth } = base();
    const report = compare(snapshot, truth);
    expect(report.examples).toEqual([]);
    expect(report.discrepancies).toBe(0);
    expect(report.lines[1]).toMatch(/1 of 1 exchange trades recorded, missing 0, doubled 0/);
  });

  const cases: [string, (s: Snapshot, t: Truth) => void, RegExp][] = [
    ['a missing fill', (s) => void s.history.fills.pop(), /^missing fill: BTC-USDT\/7/],
    ['a doubled fill', (s) => void s.history.fills.push(fill('7', '1')), /^doubled fill: /],
    ['a quote amount off by a digit past the exchange\'s precision', (s) => void (s.history.fills[0] = fill('7', '1', '61.00010001')), /^fill quote amount differs/],
    ['a fill the exchange lacks', (s) => void s.history.fills.push(fill('8', '1')), /^fill the exchange lacks: BTC-USDT\/8/],
    ['a state that differs', (_s, t) => void (t.orders[1] = { ...t.orders[1]!, status: 'CANCELED' }), /^order state differs: c2/],
    ['an executed amount that differs', (s) => void (s.history.orders[0] = { ...s.history.orders[0]!, executedAmountBase: '0.0009' }), /^executed amount differs: c1/],
    ['an open order nothing tracks', (s) => void s.history.orders.splice(1, 1), /^open order untracked: BTC-USDT 2 c2 NEW/],
    ['an order tracked as open that the exchange never had', (s) => void s.history.orders.push({ clientOrderId: 'c9', tradingPair: 'BTC-USDT', state: 'OPEN' as never, tracking: 'active', executedAmountBase: '0' }), /^order the exchange lacks: c9 OPEN/],
    ['an available balance that differs', (s) => void (s.balances[1] = { asset: 'USDT', total: '938.9999', available: '938.9999' }), /^available balance differs: USDT/],
    ['a total balance that differs', (s) => void (s.balances[0] = { asset: 'BTC', total: '1', available: '1.000999' }), /^total balance differs: BTC/],
    ['a last life that never got quiet', (s) => void (s.quiet = false), /^never quiet/],
  ];
  for (const [name, mutate, example] of cases) {
    it(`counts ${name}`, () => {
      const { snapshot, truth } = base();
      mutate(snapshot, truth);
      const report = compare(snapshot, truth);
      expect(report.discrepancies).toBe(1);
      expect(report.examples[0]).toMatch(example);
    });
  }
});
