import { describe, expect, it } from 'vitest';
import { feeAddedToCost, feeAmountInToken, feeAmountsByToken, feeDeductedFromReturns, percentFeeToken } from '../../../src/core/fees/fee-amounts.js';
import { applyFeeOverride, feeSchemaFor, parseFeeOverrides } from '../../../src/core/fees/fee-overrides.js';
import { newSpotFee, tradeFeeSchema } from '../../../src/core/fees/fee-schema.js';
import { getFee } from '../../../src/core/fees/get-fee.js';
import { tradeFeeFromJSON, tradeFeeToJSON } from '../../../src/core/fees/trade-fee-json.js';
import { MalformedDataError } from '../../../src/core/json.js';
import { OrderType, TradeType } from '../../../src/core/types.js';
import { d } from '../support/orders.js';

// Binance spot: 0.1 % maker and taker, buy fees taken from the base received.
const binance = tradeFeeSchema({
  makerPercentFeeDecimal: d('0.001'),
  takerPercentFeeDecimal: d('0.001'),
  buyPercentFeeDeductedFromReturns: true,
});
const params = { baseCurrency: 'BTC', quoteCurrency: 'USDT', amount: d('2'), price: d('100') };

describe('fee schema and spot fees', () => {
  it('makes buys added-to-cost unless the schema deducts them from returns; sells are always deducted', () => {
    const plain = tradeFeeSchema({ takerPercentFeeDecimal: d('0.002') });
    expect(newSpotFee(plain, TradeType.BUY, d('0.002')).kind).toBe('added_to_cost');
    expect(newSpotFee(plain, TradeType.SELL, d('0.002')).kind).toBe('deducted_from_returns');
    expect(newSpotFee(binance, TradeType.BUY, d('0.001')).kind).toBe('deducted_from_returns');
    const withToken = tradeFeeSchema({ percentFeeToken: 'BNB' });
    expect(newSpotFee(withToken, TradeType.BUY, d('0.001')).kind).toBe('added_to_cost');
  });

  it('refuses impossible schemas', () => {
    expect(() => tradeFeeSchema({ makerPercentFeeDecimal: d('1.5') })).toThrow(/makerPercentFeeDecimal/);
    expect(() => tradeFeeSchema({ percentFeeToken: 'BNB', buyPercentFeeDeductedFromReturns: true })).toThrow(/cannot both/);
  });
});

describe('getFee', () => {
  it('uses the maker rate for LIMIT_MAKER and the taker rate otherwise', () => {
    const schema = tradeFeeSchema({ makerPercentFeeDecimal: d('0.0002'), takerPercentFeeDecimal: d('0.0007') });
    expect(getFee(schema, { ...params, orderType: OrderType.LIMIT_MAKER, tradeType: TradeType.BUY }).percent.toString()).toBe('0.0002');
    expect(getFee(schema, { ...params, orderType: OrderType.LIMIT, tradeType: TradeType.BUY }).percent.toString()).toBe('0.0007');
    expect(getFee(schema, { ...params, orderType: OrderType.MARKET, tradeType: TradeType.SELL }).percent.toString()).toBe('0.0007');
    expect(getFee(schema, { ...params, orderType: OrderType.LIMIT, tradeType: TradeType.BUY, isMaker: true }).percent.toString()).toBe('0.0002');
  });

  it('applies per-connector overrides given in percent', () => {
    const overrides = parseFeeOverrides({
      binance: { makerPercentFee: '0.075', takerPercentFee: '0.075', percentFeeToken: 'BNB', takerFixedFees: [['USDT', '0.1']] },
      other: { makerPercentFee: 0 },
    });
    const schema = feeSchemaFor('binance', binance, overrides);
    expect(schema.makerPercentFeeDecimal.toString()).toBe('0.00075');
    expect(schema.percentFeeToken).toBe('BNB');
    expect(schema.buyPercentFeeDeductedFromReturns).toBe(false);
    const fee = getFee(schema, { ...params, orderType: OrderType.LIMIT, tradeType: TradeType.BUY });
    expect(fee.percentToken).toBe('BNB');
    expect(fee.flatFees.map((f) => `${f.amount.toString()} ${f.token}`)).toEqual(['0.1 USDT']);
    expect(feeSchemaFor('kraken', binance, overrides)).toBe(binance);
    expect(applyFeeOverride(binance, { percentFeeToken: null }).percentFeeToken).toBeUndefined();
  });

  it('names the bad field of a bad override', () => {
    expect(() => parseFeeOverrides({ binance: { makerPercentFee: 'cheap' } })).toThrow(MalformedDataError);
    expect(() => parseFeeOverrides({ binance: { makerPercentFee: 'cheap' } })).toThrow(/binance.makerPercentFee/);
    expect(() => parseFeeOverrides({ binance: { makerFee: '0.1' } })).toThrow(/binance/);
    expect(() => parseFeeOverrides({ binance: { takerFixedFees: [['USDT']] } })).toThrow(/takerFixedFees/);
  });
});

describe('fee amounts', () => {
  const ctx = { tradingPair: 'BTC-USDT', tradeType: TradeType.BUY, price: d('100'), amount: d('2') };

  it('charges a deducted buy fee in base, an added buy fee and every sell fee in quote', () => {
    const deducted = newSpotFee(binance, TradeType.BUY, d('0.001'));
    expect(percentFeeToken(deducted, TradeType.BUY, 'BTC-USDT')).toBe('BTC');
    expect(feeAmountsByToken(deducted, ctx).map((t) => [t.token, t.amount.toString()])).toEqual([['BTC', '0.002']]);
    expect(feeDeductedFromReturns(deducted, ctx)).toHaveLength(1);
    expect(feeAddedToCost(deducted, ctx)).toEqual([]);

    const added = newSpotFee(tradeFeeSchema(), TradeType.BUY, d('0.001'));
    expect(feeAddedToCost(added, ctx).map((t) => [t.token, t.amount.toString()])).toEqual([['USDT', '0.2']]);
    const sell = newSpotFee(binance, TradeType.SELL, d('0.001'));
    expect(feeAmountsByToken(sell, { ...ctx, tradeType: TradeType.SELL }).map((t) => t.token)).toEqual(['USDT']);
  });

  it('expresses a fee in one token: base and quote by the trade price, other tokens by a converter', () => {
    const fee = { kind: 'deducted_from_returns' as const, percent: d('0.001'), flatFees: [{ token: 'USDT', amount: d('1') }] };
    expect(feeAmountInToken(fee, ctx, 'USDT').toString()).toBe('1.2');
    expect(feeAmountInToken(fee, ctx, 'BTC').toString()).toBe('0.012');
    const bnb = { kind: 'added_to_cost' as const, percent: d('0.001'), percentToken: 'BNB', flatFees: [] };
    expect(() => feeAmountsByToken(bnb, ctx)).toThrow(/no rate/);
    const byRate = (a: ReturnType<typeof d>, from: string, to: string) => (from === 'USDT' && to === 'BNB' ? a.div(400) : undefined);
    expect(feeAmountsByToken(bnb, ctx, byRate).map((t) => [t.token, t.amount.toString()])).toEqual([['BNB', '0.0005']]);
  });

  it('round-trips a fee through JSON', () => {
    const fee = { kind: 'added_to_cost' as const, percent: d('0.00075'), percentToken: 'BNB', flatFees: [{ token: 'USDT', amount: d('0.1') }] };
    const back = tradeFeeFromJSON(JSON.parse(JSON.stringify(tradeFeeToJSON(fee))));
    expect(tradeFeeToJSON(back)).toEqual(tradeFeeToJSON(fee));
    expect(() => tradeFeeFromJSON({ kind: 'free' })).toThrow(/"kind"/);
  });
});
