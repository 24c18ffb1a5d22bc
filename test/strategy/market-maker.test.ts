import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { Decimal } from '../../src/core/decimal.js';
import type { BinanceExchange } from '../../src/exchanges/binance/exchange.js';
import { startSimulator, type AccountHandle, type Simulator } from '../../src/simulator/index.js';
import { MarketMakingStrategy } from '../../src/strategy/market-making/market-maker.js';
import { TestClient } from '../simulator/support/client.js';
import { tempDir } from '../support/tmp.js';
import { waitFor } from '../support/wait.js';
import { connect } from './support.js';

const d = (s: string) => new Decimal(s);

describe('MarketMakingStrategy on the simulator', () => {
  let sim: Simulator;
  let bot: AccountHandle;
  let taker: TestClient;
  let exchange: BinanceExchange | undefined;
  let tmp: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    tmp = tempDir();
    sim = await startSimulator({ activity: false });
    bot = sim.admin.createAccount({ balances: { USDT: '100000', BTC: '1' } });
    const t = sim.admin.createAccount({ balances: { USDT: '100000', BTC: '1' } });
    taker = new TestClient(sim.restUrl, t.apiKey, t.apiSecret);
  });
  afterEach(async () => {
    await exchange?.close();
    exchange = undefined;
    await sim.close();
    tmp.cleanup();
  });

  const openOnExchange = () => sim.admin.orders(bot.accountId, { openOnly: true });
  const externalMid = () => {
    const book = sim.admin.book('BTC-USDT', 1);
    return book.bids[0]![0].plus(book.asks[0]![0]).div(2);
  };

  it('quotes around the market mid, leans after a fill, requotes on age, and leaves nothing open once stopped', async () => {
    exchange = await connect(sim, bot);
    const clock = new ManualClock(1_000);
    const mm = new MarketMakingStrategy({ maxOrderAgeMs: 10_000 }, { clock });
    const mid = externalMid();
    await mm.start(exchange);
    await mm.tick();
    await waitFor(() => openOnExchange().length === 2, 'both quotes on the exchange');

    const [bid, ask] = [openOnExchange().find((o) => o.side === 'BUY')!, openOnExchange().find((o) => o.side === 'SELL')!];
    expect(bid.price.toString()).toBe(mid.mul(d('0.99995')).toDecimalPlaces(2, Decimal.ROUND_DOWN).toString());
    expect(ask.price.toString()).toBe(mid.mul(d('1.00005')).toDecimalPlaces(2, Decimal.ROUND_UP).toString());
    expect(bid.type).toBe('LIMIT_MAKER');
    expect(bid.origQty.toString()).toBe('0.001');

    // The bot quotes inside the simulator's liquidity provider (half spread 0.0001): a taker sells into the bot's bid: the bot is long 0.001, a tenth of its limit.
    const sold = await taker.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001' });
    expect(sold.status).toBe(200);
    await waitFor(() => mm.status.position.eq(d('0.001')), 'the fill to reach the strategy');

    // The fill makes the next tick cancel the ask and quote again, leaning short.
    clock.advance(500);
    await mm.tick();
    await waitFor(() => openOnExchange().length === 2 && !openOnExchange().some((o) => o.orderId === ask.orderId), 'new quotes');
    const again = openOnExchange();
    expect(again.find((o) => o.side === 'BUY')!.origQty.toString()).toBe('0.0009');
    expect(again.find((o) => o.side === 'SELL')!.origQty.toString()).toBe('0.001');
    expect(mm.status.inventoryRatio.toString()).toBe('0.1');

    // Nothing moved: quotes stay until they are older than maxOrderAgeMs.
    const ids = again.map((o) => o.orderId).sort();
    clock.advance(1_000);
    await mm.tick();
    expect(openOnExchange().map((o) => o.orderId).sort()).toEqual(ids);
    clock.advance(10_000);
    await mm.tick();
    await waitFor(() => openOnExchange().length === 2 && openOnExchange().every((o) => !ids.includes(o.orderId)), 'quotes renewed on age');
    expect(mm.status.requotes).toBe(3);

    await mm.stop();
    const results = await exchange.cancelAll(5_000);
    expect(results.every((r) => r.success)).toBe(true);
    expect(openOnExchange()).toEqual([]);
  });

  it('requotes when the market mid moves beyond the tolerance', async () => {
    exchange = await connect(sim, bot);
    const clock = new ManualClock(0);
    const mm = new MarketMakingStrategy({ refreshTolerance: d('0.00001') }, { clock });
    await mm.start(exchange);
    await mm.tick();
    await waitFor(() => openOnExchange().length === 2, 'quotes');
    const first = mm.status.quotedMid!;
    // Someone else improves the best bid by a lot: the market's mid moves up.
    const book = sim.admin.book('BTC-USDT', 1);
    const price = book.asks[0]![0].minus(d('0.01')).toFixed(2);
    expect((await taker.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price })).status).toBe(200);
    await waitFor(() => d(exchange!.getOrderBook('BTC-USDT').bestBid()?.price ?? '0').eq(d(price)), 'the book to show the new bid');
    await mm.tick();
    await waitFor(() => mm.status.requotes === 2 && openOnExchange().length === 2, 'a requote');
    expect(mm.status.quotedMid!.gt(first)).toBe(true);
    await mm.stop();
    await exchange.cancelAll(5_000);
    expect(openOnExchange()).toEqual([]);
  });

  it('a restarted bot takes its old orders back and replaces them', async () => {
    const databasePath = `${tmp.path}/bot.sqlite`;
    exchange = await connect(sim, bot, { databasePath });
    const before = new MarketMakingStrategy({}, { clock: new ManualClock(0) });
    await before.start(exchange);
    await before.tick();
    await waitFor(() => openOnExchange().length === 2, 'quotes');
    const old = openOnExchange().map((o) => o.clientOrderId).sort();
    // The process dies without cancelling: the orders stay on the exchange and in the file.
    await exchange.close();

    exchange = await connect(sim, bot, { databasePath });
    const after = new MarketMakingStrategy({}, { clock: new ManualClock(0) });
    await after.start(exchange);
    expect(after.activeOrders.map((o) => o.clientOrderId).sort()).toEqual(old);
    await after.tick();
    await waitFor(() => openOnExchange().length === 2 && openOnExchange().every((o) => !old.includes(o.clientOrderId)), 'old quotes replaced');
    await after.stop();
    await exchange.cancelAll(5_000);
    expect(openOnExchange()).toEqual([]);
  });
});
