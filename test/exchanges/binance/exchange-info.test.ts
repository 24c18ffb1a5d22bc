import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../src/core/decimal.js';
import { checkOrderAgainstRule } from '../../../src/core/rules/validate-order.js';
import { OrderType, TradeType } from '../../../src/core/types.js';
import { parseExchangeInfo } from '../../../src/exchanges/binance/parse.js';
import { expectOk, fixture, patched } from './support.js';

const sample = fixture('exchange-info') as { symbols: Record<string, unknown>[] };
const btc = sample.symbols[0]!;
const d = (s: string) => new Decimal(s);

function withSymbols(...symbols: unknown[]): unknown {
  return { ...sample, symbols };
}

describe('parseExchangeInfo', () => {
  it('maps the documented sample: pair from base/quote assets, rules from the filters', () => {
    const markets = expectOk(parseExchangeInfo(sample));
    expect([...markets.symbolToPair]).toEqual([['BTCUSDT', 'BTC-USDT']]);
    expect(markets.pairToSymbol.get('BTC-USDT')).toBe('BTCUSDT');
    expect(markets.tradingPairs).toEqual(['BTC-USDT']);
    expect(markets.skipped).toEqual([]);
    expect(markets.serverTime).toBe(1565246363776);
    expect(markets.rateLimits).toContainEqual({ rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 300000 });

    const info = markets.symbols[0]!;
    expect(info).toMatchObject({ symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', status: 'TRADING', tradable: true });
    expect(info.maxNumOrders).toBe(200);
    expect(info.maxNumAlgoOrders).toBe(5);
    const rule = markets.tradingRules.get('BTC-USDT')!;
    expect(rule).toBe(info.rule);
    expect(rule.minOrderSize.toString()).toBe('0.00001');
    expect(rule.maxOrderSize?.toString()).toBe('9000');
    expect(rule.minBaseAmountIncrement.toString()).toBe('0.00001');
    expect(rule.minPriceIncrement.toString()).toBe('0.01');
    expect(rule.minPrice?.toString()).toBe('0.01');
    expect(rule.maxPrice?.toString()).toBe('1000000');
    expect(rule.minNotionalSize.toString()).toBe('5');
    expect(rule.maxNotionalSize?.toString()).toBe('9000000');
    expect(rule.applyMinNotionalToMarket).toBe(true);
    expect(rule.applyMaxNotionalToMarket).toBe(false);
    expect(rule.minQuoteAmountIncrement.toString()).toBe('0.00000001');
    // MARKET_LOT_SIZE (minQty 0, maxQty 100, step 0) combined with LOT_SIZE
    expect(rule.minMarketOrderSize?.toString()).toBe('0.00001');
    expect(rule.maxMarketOrderSize?.toString()).toBe('100');
    expect(rule.marketSizeIncrement?.toString()).toBe('0.00001');
    expect(rule.supportedOrderTypes).toEqual([OrderType.LIMIT, OrderType.LIMIT_MAKER, OrderType.MARKET]);
    expect(rule.tradingEnabled).toBe(true);
  });

  it('gives rules the core validation understands (notional, step)', () => {
    const rule = expectOk(parseExchangeInfo(sample)).tradingRules.get('BTC-USDT')!;
    const order = (amount: string, price: string) => ({ orderType: OrderType.LIMIT, tradeType: TradeType.BUY, amount: d(amount), price: d(price) });
    expect(checkOrderAgainstRule(rule, order('0.001', '30000'))).toBeUndefined();
    expect(checkOrderAgainstRule(rule, order('0.0001', '30000'))?.rule).toBe('min_notional');
    expect(checkOrderAgainstRule(rule, order('0.000015', '30000'))?.rule).toBe('size_increment');
  });

  it('keeps halted and CANCEL_ONLY symbols in the map but not tradable; leaves non-spot symbols out', () => {
    const markets = expectOk(
      parseExchangeInfo(
        withSymbols(
          btc,
          patched(btc, { symbol: 'ETHUSDT', baseAsset: 'ETH', status: 'CANCEL_ONLY' }),
          patched(btc, { symbol: 'BNBUSDT', baseAsset: 'BNB', status: 'HALT' }),
          patched(btc, { symbol: 'XRPUSDT', baseAsset: 'XRP', permissionSets: [['MARGIN']] }),
          patched(btc, { symbol: 'ADAUSDT', baseAsset: 'ADA', isSpotTradingAllowed: false, permissionSets: [['SPOT']] }),
        ),
      ),
    );
    expect([...markets.symbolToPair.keys()]).toEqual(['BTCUSDT', 'ETHUSDT', 'BNBUSDT']);
    expect(markets.tradingPairs).toEqual(['BTC-USDT']);
    expect(markets.tradingRules.get('ETH-USDT')?.tradingEnabled).toBe(false);
    expect(markets.symbols.find((s) => s.symbol === 'ETHUSDT')?.tradable).toBe(false);
  });

  it('reads SPOT from legacy permissions, or isSpotTradingAllowed when no permission is listed', () => {
    const markets = expectOk(
      parseExchangeInfo(
        withSymbols(
          patched(btc, { symbol: 'A1USDT', baseAsset: 'A1', permissionSets: undefined, permissions: ['SPOT'] }),
          patched(btc, { symbol: 'A2USDT', baseAsset: 'A2', permissionSets: [[]], permissions: [], isSpotTradingAllowed: true }),
          patched(btc, { symbol: 'A3USDT', baseAsset: 'A3', permissionSets: undefined, permissions: undefined, isSpotTradingAllowed: undefined }),
        ),
      ),
    );
    expect([...markets.symbolToPair.keys()]).toEqual(['A1USDT', 'A2USDT']);
  });

  it('takes the pair from baseAsset/quoteAsset, never from the symbol text', () => {
    const markets = expectOk(parseExchangeInfo(withSymbols(patched(btc, { symbol: 'WEIRDNAME', baseAsset: 'USDC', quoteAsset: 'USDT' }))));
    expect(markets.symbolToPair.get('WEIRDNAME')).toBe('USDC-USDT');
  });

  it('reads legacy MIN_NOTIONAL, and zero maxima as "no maximum"', () => {
    const filters = [
      { filterType: 'PRICE_FILTER', minPrice: '0.00000000', maxPrice: '0.00000000', tickSize: '0.00000100' },
      { filterType: 'LOT_SIZE', minQty: '1.00000000', maxQty: '0.00000000', stepSize: '1.00000000' },
      { filterType: 'MIN_NOTIONAL', minNotional: '0.00010000', applyToMarket: false, avgPriceMins: 5 },
    ];
    const rule = expectOk(parseExchangeInfo(withSymbols(patched(btc, { filters, orderTypes: ['LIMIT', 'STOP_LOSS'] })))).tradingRules.get('BTC-USDT')!;
    expect(rule.minNotionalSize.toString()).toBe('0.0001');
    expect(rule.applyMinNotionalToMarket).toBe(false);
    expect(rule.maxNotionalSize).toBeUndefined();
    expect(rule.maxOrderSize).toBeUndefined();
    expect(rule.minPrice).toBeUndefined();
    expect(rule.maxPrice).toBeUndefined();
    expect(rule.minMarketOrderSize).toBeUndefined();
    expect(rule.supportedOrderTypes).toEqual([OrderType.LIMIT]);
  });

  it('skips a malformed symbol with a clear reason and keeps the others', () => {
    const markets = expectOk(
      parseExchangeInfo(
        withSymbols(
          patched(btc, { symbol: 'NOBASE', baseAsset: undefined }),
          patched(btc, {
            symbol: 'NUMS',
            baseAsset: 'NUM',
            filters: [{ filterType: 'LOT_SIZE', minQty: 0.001, maxQty: '1', stepSize: '0.001' }],
          }),
          patched(btc, { symbol: 'NEGUSDT', baseAsset: 'NEG', filters: [{ filterType: 'PRICE_FILTER', minPrice: '-1', maxPrice: '1', tickSize: '0.1' }] }),
          patched(btc, { symbol: '１２３４５６', baseAsset: '１２３', quoteAsset: 'USDT' }),
          btc,
          patched(btc, { symbol: 'BTCUSDT2' }),
        ),
      ),
    );
    expect([...markets.symbolToPair.keys()]).toEqual(['BTCUSDT']);
    expect(markets.skipped.map((s) => [s.reason, s.error.field])).toEqual([
      ['malformed', 'baseAsset'],
      ['malformed', 'minQty'],
      ['malformed', 'minPrice'],
      ['unsupported', 'baseAsset'],
      ['malformed', 'symbol'],
    ]);
    expect(markets.skipped[0]!.error.message).toMatch(/baseAsset.*missing/);
    expect(markets.skipped[1]!.error.message).toMatch(/NUMS filter LOT_SIZE/);
  });

  it('fails the whole answer only when the envelope is unreadable', () => {
    for (const bad of [null, 'x', [], {}, { symbols: 'no' }, { symbols: [], rateLimits: [{ limit: 'x' }] }]) {
      const r = parseExchangeInfo(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe('malformed');
    }
  });
});
