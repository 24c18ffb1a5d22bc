import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { TradeType } from '../../src/core/types.js';
import { settingsFrom } from '../../src/cli/config/schema.js';
import { readManualOrder } from '../../src/cli/manual/order-input.js';
import { connectOnce, openVenueStore } from '../../src/cli/venue/connect.js';
import { embeddedVenue } from '../../src/cli/venue/venue.js';
import type { SqliteTrackingStore } from '../../src/core/persistence/sqlite-tracking-store.js';
import type { BinanceExchange } from '../../src/exchanges/binance/exchange.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { tempDir } from '../support/tmp.js';

/** What `buy` and `sell` check before sending, in process (the CLI's own tests run it as a child). */
describe('readManualOrder', () => {
  let sim: Simulator;
  let exchange: BinanceExchange;
  let store: SqliteTrackingStore;
  let tmp: ReturnType<typeof tempDir>;

  beforeAll(async () => {
    sim = await startSimulator({ activity: false });
    tmp = tempDir();
    const venue = embeddedVenue(sim, 'test');
    store = openVenueStore(venue, tmp.path);
    exchange = await connectOnce(venue, { settings: settingsFrom({}), dataDir: tmp.path, tradingPairs: [], logger: silentLogger(), store });
  });
  afterAll(async () => {
    await exchange.close();
    store.close();
    await sim.close();
    tmp.cleanup();
  });

  const read = (side: TradeType, pair: string, amount: string, price?: string, type?: string) =>
    readManualOrder(exchange, side, { pair, amount, ...(price !== undefined && { price }), ...(type !== undefined && { type }) });

  it('reads limit and market orders exactly', async () => {
    const limit = await read(TradeType.BUY, 'BTC-USDT', '0.00100', '60000.10');
    expect(limit.orderType).toBe('LIMIT');
    expect(limit.amount.toString()).toBe('0.001');
    expect(limit.price?.toString()).toBe('60000.1');
    expect((await read(TradeType.SELL, 'ETH-USDT', '0.01')).orderType).toBe('MARKET');
    expect((await read(TradeType.SELL, 'BTC-USDT', '0.001', '70000', 'limit_maker')).orderType).toBe('LIMIT_MAKER');
  });

  it('refuses with a message naming the problem', async () => {
    const cases: [() => Promise<unknown>, string][] = [
      [() => read(TradeType.BUY, 'btc-usdt', '1', '1'), 'PAIR must be BASE-QUOTE in capitals, such as BTC-USDT, got "btc-usdt"'],
      [() => read(TradeType.BUY, 'BTC-USDT', 'lots', '60000'), 'AMOUNT must be a decimal number such as 0.001, got "lots"'],
      [() => read(TradeType.BUY, 'BTC-USDT', '-1', '60000'), 'AMOUNT must be above zero, got -1'],
      [() => read(TradeType.BUY, 'BTC-USDT', '0.001', '0x10'), 'PRICE must be a decimal number such as 0.001, got "0x10"'],
      [() => read(TradeType.BUY, 'BTC-USDT', '0.0001', '100'), 'order not sent: BTC-USDT: notional 0.01 is below the minimum 5 (short by 4.99)'],
      [() => read(TradeType.BUY, 'BTC-USDT', '0.00005'), 'order not sent: BTC-USDT: notional'],
      [() => read(TradeType.BUY, 'BTC-USDT', '0.0010001', '60000'), 'order not sent: BTC-USDT: amount 0.0010001 is not a multiple of 0.00001'],
      [() => read(TradeType.BUY, 'BTC-USDT', '0.001', '60000', 'MARKET'), 'a MARKET order takes no PRICE'],
      [() => read(TradeType.BUY, 'BTC-USDT', '0.001', undefined, 'LIMIT'), 'a LIMIT order needs a PRICE'],
      [() => read(TradeType.BUY, 'BTC-USDT', '0.001', '60000', 'STOP'), '--type must be one of LIMIT, LIMIT_MAKER, MARKET, got "STOP"'],
    ];
    for (const [attempt, message] of cases) await expect(attempt()).rejects.toThrow(message);
    expect(sim.admin.orders(sim.demo!.accountId)).toEqual([]);
  });
});
