import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import { InFlightOrder } from '../../src/core/orders/in-flight-order.js';
import { OrderState, OrderType, TradeType } from '../../src/core/types.js';
import { BalanceTable, availableForNewOrders } from '../../src/connector/balance-table.js';
import { AccountBalances } from '../../src/connector/account-balances.js';
import { silentLogger } from '../../src/core/logger.js';

const d = (s: string) => new Decimal(s);
const entry = (asset: string, total: string, available: string) => ({ asset, total: d(total), available: d(available) });
const view = (t: BalanceTable) => Object.fromEntries(t.entries().map((b) => [b.asset, `${b.total.toString()}/${b.available.toString()}`]));

describe('BalanceTable', () => {
  it('a snapshot replaces the table: assets absent from it go to zero', () => {
    const t = new BalanceTable();
    expect(t.initialized).toBe(false);
    t.applySnapshot([entry('BTC', '1', '1'), entry('USDT', '100', '40')], 1_000, t.beginSnapshot());
    expect(t.initialized).toBe(true);
    t.applySnapshot([entry('USDT', '90', '90')], 2_000, t.beginSnapshot());
    expect(view(t)).toEqual({ USDT: '90/90' });
    expect(t.total('BTC').toString()).toBe('0');
  });

  it('a snapshot does not overwrite a newer position that arrived while it was on its way', () => {
    const t = new BalanceTable();
    t.applySnapshot([entry('BTC', '1', '1'), entry('USDT', '100', '100')], 1_000, t.beginSnapshot());
    const token = t.beginSnapshot();
    // While the request is out, the stream reports a newer USDT position.
    t.applyPosition([entry('USDT', '100', '70')], 3_000);
    expect(t.applySnapshot([entry('BTC', '2', '2'), entry('USDT', '100', '100')], 2_000, token)).toEqual(['USDT']);
    expect(view(t)).toEqual({ BTC: '2/2', USDT: '100/70' });
  });

  it('a position received before the request was sent is replaced, whatever the exchange times say', () => {
    const t = new BalanceTable();
    t.applyPosition([entry('USDT', '100', '70')], 3_000);
    // The exchange's update time lags (not every change moves it): the snapshot is still newer.
    t.applySnapshot([entry('USDT', '100', '100')], 2_000, t.beginSnapshot());
    expect(view(t)).toEqual({ USDT: '100/100' });
  });

  it('positions set the assets they list and leave the others; an older position is ignored', () => {
    const t = new BalanceTable();
    t.applySnapshot([entry('BTC', '1', '1'), entry('USDT', '100', '100')], 1_000, t.beginSnapshot());
    expect(t.applyPosition([entry('USDT', '100', '50')], 2_000)).toEqual(['USDT']);
    expect(t.applyPosition([entry('USDT', '100', '60')], 1_500)).toEqual([]);
    expect(view(t)).toEqual({ BTC: '1/1', USDT: '100/50' });
  });

  it('a delta applies once: never on top of a position that already includes it', () => {
    const t = new BalanceTable();
    t.applySnapshot([entry('USDT', '100', '100')], 1_000, t.beginSnapshot());
    // Deposit of 25 at T=2000; the position that includes it arrives first.
    t.applyPosition([entry('USDT', '125', '125')], 2_000);
    expect(t.applyDelta('USDT', d('25'), 2_000)).toBe(false);
    expect(view(t)).toEqual({ USDT: '125/125' });
    // Another deposit arrives before its position: applied, then the position sets the same value.
    expect(t.applyDelta('USDT', d('5'), 3_000)).toBe(true);
    expect(view(t)).toEqual({ USDT: '130/130' });
    t.applyPosition([entry('USDT', '130', '130')], 3_000);
    expect(view(t)).toEqual({ USDT: '130/130' });
    expect(t.applyDelta('ETH', d('-1'), 4_000)).toBe(true);
    expect(t.total('ETH').toString()).toBe('-1');
  });

  it('a delta the snapshot in flight does not include survives the snapshot', () => {
    const t = new BalanceTable();
    t.applySnapshot([entry('USDT', '100', '100')], 1_000, t.beginSnapshot());
    const token = t.beginSnapshot();
    t.applyDelta('USDT', d('10'), 2_500);
    t.applySnapshot([entry('USDT', '100', '100')], 2_000, token);
    expect(view(t)).toEqual({ USDT: '110/110' });
  });

  it('available for new orders subtracts orders pending creation and orders acknowledged after the balance', () => {
    const t = new BalanceTable();
    t.applySnapshot([entry('USDT', '1000', '1000'), entry('BTC', '1', '1')], 1_000, t.beginSnapshot());
    const order = (id: string, side: TradeType, amount: string, price: string, state?: OrderState, acked?: number) =>
      new InFlightOrder({
        clientOrderId: id,
        tradingPair: 'BTC-USDT',
        orderType: OrderType.LIMIT,
        tradeType: side,
        amount: d(amount),
        price: d(price),
        creationTimestamp: 500,
        ...(state && { initialState: state }),
        ...(acked !== undefined && { acknowledgedTimestamp: acked }),
      });
    const orders = [
      order('pending-buy', TradeType.BUY, '0.01', '20000'),
      order('old-buy', TradeType.BUY, '0.01', '10000', OrderState.OPEN, 900),
      order('new-buy', TradeType.BUY, '0.001', '10000', OrderState.OPEN, 1_100),
      order('pending-sell', TradeType.SELL, '0.25', '30000'),
    ];
    expect(availableForNewOrders(t, orders, 'USDT').toString()).toBe('790');
    expect(availableForNewOrders(t, orders, 'BTC').toString()).toBe('0.75');
    expect(availableForNewOrders(t, [order('huge', TradeType.SELL, '5', '1')], 'BTC').toString()).toBe('0');
  });

  it('a market buy pending creation holds its amount at the estimated price, or nothing without one', () => {
    const t = new BalanceTable();
    t.applySnapshot([entry('USDT', '1000', '1000')], 1_000, t.beginSnapshot());
    const marketBuy = new InFlightOrder({ clientOrderId: 'mkt', tradingPair: 'BTC-USDT', orderType: OrderType.MARKET, tradeType: TradeType.BUY, amount: d('0.002'), creationTimestamp: 500 });
    expect(availableForNewOrders(t, [marketBuy], 'USDT', () => d('60000')).toString()).toBe('880');
    expect(availableForNewOrders(t, [marketBuy], 'USDT', () => undefined).toString()).toBe('1000');
    expect(availableForNewOrders(t, [marketBuy], 'USDT').toString()).toBe('1000');
  });
});

describe('AccountBalances', () => {
  it('two positions of one millisecond (their order unknowable from the time) ask for a snapshot soon, which settles the tie', async () => {
    let asked = 0;
    const truth = { balances: [{ asset: 'USDT', total: new Decimal('9390'), available: new Decimal('9390') }], updateTime: 1_000 };
    const balances = new AccountBalances({
      connector: { fetchBalances: () => Promise.resolve(truth) },
      logger: silentLogger(),
      activeOrders: () => [],
      snapshotSoon: () => asked++,
    });
    const position = (usdt: string, time: number) => ({ kind: 'balances' as const, balances: [{ asset: 'USDT', total: new Decimal(usdt), available: new Decimal(usdt) }], exchangeTime: time });
    balances.apply(position('9756', 999));
    expect(asked).toBe(0);
    // The newer position arrives first, the older one of the same millisecond second.
    balances.apply(position('9390', 1_000));
    balances.apply(position('9756', 1_000));
    expect(asked).toBe(1);
    await balances.refresh();
    expect(balances.total('USDT').toString()).toBe('9390');
  });
});
