import { describe, expect, it } from 'vitest';
import { parseAccount, parseAccountPosition, parseBalanceUpdate, parseUserDataEvent, parseWsApiMessage, type ParseResult } from '../../../src/exchanges/binance/parse.js';
import { SYMBOLS, expectOk, fixture, patched } from './support.js';

describe('balances', () => {
  it('account: total = free + locked, available = free, with updateTime and commission rates', () => {
    const account = expectOk(parseAccount(fixture('account')));
    expect(account.updateTime).toBe(123456789);
    expect(account.canTrade).toBe(true);
    expect(account.commissionRates?.maker.toString()).toBe('0.0015');
    expect(account.balances.map((b) => [b.asset, b.total.toString(), b.available.toString()])).toEqual([['BTC', '4723846.89208129', '4723846.89208129']]);
    const locked = expectOk(parseAccount(patched(fixture('account'), { balances: [{ asset: 'USDT', free: '10.5', locked: '0.25' }] })));
    expect(locked.balances.map((b) => [b.total.toString(), b.available.toString()])).toEqual([['10.75', '10.5']]);
  });

  it('outboundAccountPosition: the listed assets, with u (last account update) and E', () => {
    const p = expectOk(parseAccountPosition(fixture('outbound-account-position')));
    expect(p).toMatchObject({ eventTime: 1564034571105, lastUpdateTime: 1564034571073 });
    expect(p.balances.map((b) => [b.asset, b.total.toString(), b.available.toString()])).toEqual([['ETH', '10000', '10000']]);
    const ws = expectOk(parseWsApiMessage(fixture('ws-api-event-position')));
    if (ws.kind !== 'event') throw new Error('expected an event');
    const event = expectOk(parseUserDataEvent(ws.event, SYMBOLS));
    if (event.type !== 'outboundAccountPosition') throw new Error('expected a position');
    expect(event.position.balances.map((b) => [b.asset, b.total.toString(), b.available.toString()])).toEqual([
      ['BTC', '12000', '11818'],
      ['USDT', '10650', '10580'],
    ]);
  });

  it('balanceUpdate: a signed delta with event and clear times', () => {
    const d = expectOk(parseBalanceUpdate(fixture('balance-update')));
    expect([d.asset, d.delta.toString(), d.eventTime, d.clearTime]).toEqual(['BTC', '100', 1573200697110, 1573200697068]);
    expect(expectOk(parseBalanceUpdate(patched(fixture('balance-update'), { d: '-0.5' }))).delta.toString()).toBe('-0.5');
  });

  it('refuses numbers for amounts, negative balances and missing times', () => {
    const cases: Array<[ParseResult<unknown>, string]> = [
      [parseAccount(patched(fixture('account'), { balances: [{ asset: 'BTC', free: 1, locked: '0' }] })), 'free'],
      [parseAccount(patched(fixture('account'), { balances: [{ asset: 'BTC', free: '-1', locked: '0' }] })), 'free'],
      [parseAccount(patched(fixture('account'), { updateTime: undefined })), 'updateTime'],
      [parseAccountPosition(patched(fixture('outbound-account-position'), { u: undefined })), 'u'],
      [parseAccountPosition(patched(fixture('outbound-account-position'), { B: [{ a: '', f: '1', l: '0' }] })), 'a'],
      [parseBalanceUpdate(patched(fixture('balance-update'), { d: 100 })), 'd'],
    ];
    for (const [r, field] of cases) {
      expect(r.ok, field).toBe(false);
      if (!r.ok) expect(r.error.field?.split('.').pop()).toBe(field);
    }
  });
});
