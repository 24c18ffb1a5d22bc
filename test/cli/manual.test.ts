import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../simulator/support/client.js';
import { tempDir } from '../support/tmp.js';
import { runCli, startSimChild, type SimChild } from './support/cli-child.js';

/** The hand-trading commands against a separate `venuekit sim` (a still market: --no-activity). */
describe('venuekit balance, orderbook, buy, sell, cancel, orders, history, status', () => {
  let exchange: SimChild;
  let tmp: ReturnType<typeof tempDir>;
  let client: TestClient;
  let venue: string[];

  beforeAll(async () => {
    exchange = await startSimChild(['--no-activity']);
    tmp = tempDir();
    client = new TestClient(exchange.restUrl, exchange.apiKey, exchange.apiSecret);
    venue = ['--exchange-url', exchange.restUrl, '--data-dir', tmp.path];
  });
  afterAll(async () => {
    await exchange.stop();
    tmp.cleanup();
  });

  const cli = (...args: string[]) => runCli([...args, ...venue]);
  const allOrders = async () => ((await client.signed('GET', '/api/v3/allOrders', { symbol: 'BTCUSDT' })).body as unknown[]).length;

  it('without a venue they say so; balance, orderbook; bad orders refused before anything is sent', async () => {
    const before = await allOrders();
    const refusals: [string[], string][] = [
      [['buy', 'DOGE-USDT', '1', '1'], 'venuekit: unknown pair DOGE-USDT: the exchange lists BTC-USDT, ETH-BTC, ETH-USDT'],
      [['buy', 'BTC-USDT', '0.000001', '60000'], 'venuekit: order not sent: BTC-USDT: amount 0.000001 is below the minimum 0.00001 (short by 0.000009)'],
      [['sell', 'BTC-USDT', '0.001', '70000.001'], 'venuekit: order not sent: BTC-USDT: price 70000.001 is not a multiple of 0.01 (off by 0.001)'],
    ];
    // The first creates the tracking store; the rest run all at once (none of them changes anything).
    const balance = await cli('balance');
    // A key the exchange refuses (the demo key of another seed) fails at once, saying what to check.
    const wrongSeed = join(tmp.path, 'wrong-seed.yaml');
    writeFileSync(wrongSeed, 'exchange:\n  simSeed: 77\n');
    const [book, noVenue, noVenueHistory, wrongKey, ...refused] = await Promise.all([
      cli('orderbook', 'BTC-USDT', '--depth', '3'),
      runCli(['balance']),
      runCli(['history', '--data-dir', tmp.path]),
      cli('balance', '--config', wrongSeed),
      ...refusals.map(([args]) => cli(...args)),
    ]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stdout).toBe('');
    expect(wrongKey.stderr).toMatch(/^venuekit: the exchange refused the API key \(.*-2015 .*\): check the key from the config, or, without one, the demo key of `venuekit sim --seed N` \(set exchange.simSeed to that N\)\n$/);

    for (const [r, name] of [[noVenue, 'balance'], [noVenueHistory, 'history']] as const) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^venuekit: ${name} needs an exchange: pass --exchange-url URL .* or --live .*It does not start a throwaway simulator`));
    }

    expect(balance.code).toBe(0);
    expect(balance.stdout.split('\n')).toEqual(['asset    total  available', 'BTC     100000     100000', 'ETH       1000       1000', 'USDT   1000000    1000000']);
    expect(book.code).toBe(0);
    const lines = book.stdout.split('\n');
    expect(lines[0]).toMatch(/^BTC-USDT {2}best bid [\d.]+ {2}best ask [\d.]+ {2}\(update \d+\)$/);
    expect(lines[1]).toMatch(/^bid amount +bid +ask +ask amount$/);
    expect(lines.length).toBe(5);

    refused.forEach((r, i) => {
      expect(r.code, `${refusals[i]![0].join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.startsWith(refusals[i]![1]), r.stderr).toBe(true);
    });
    expect(await allOrders()).toBe(before);
  });

  it('buy, orders, cancel by exchange id, a market sell, history and status', async () => {
    const buy = await cli('buy', 'BTC-USDT', '0.001', '60000');
    expect(buy.stderr).toBe('');
    expect(buy.code).toBe(0);
    const [, clientId, exchangeId] = /^(vk-\S+): BUY 0\.001 BTC-USDT @ 60000 LIMIT, exchange id (\d+), OPEN$/.exec(buy.stdout) ?? [];
    expect(clientId).toBeDefined();
    const open = (await client.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body as { clientOrderId: string }[];
    expect(open.map((o) => o.clientOrderId)).toEqual([clientId]);

    const orders = await cli('orders');
    expect(orders.stdout).toMatch(new RegExp(`^${clientId} +${exchangeId} +BTC-USDT +BUY +60000 +0\\.001 +0 +venuekit$`, 'm'));

    const cancel = await cli('cancel', exchangeId!);
    expect(cancel.stdout).toBe(`${clientId}: CANCELED`);
    expect(cancel.code).toBe(0);
    expect((await client.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body).toEqual([]);
    const [again, sell] = await Promise.all([cli('cancel', clientId!), cli('sell', 'ETH-USDT', '0.01')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`venuekit: order ${clientId} is not open: it ended CANCELED\n`);

    expect(sell.code).toBe(0);
    expect(sell.stdout).toMatch(/^vk-\S+: SELL 0\.01 ETH-USDT MARKET, exchange id \d+, FILLED\nfilled 0\.01 for [\d.]+, average price [\d.]+$/);

    const [history, status] = await Promise.all([cli('history'), cli('status')]);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/^orders \(2, oldest first\)$/m);
    expect(history.stdout).toMatch(new RegExp(`${clientId} +${exchangeId} +BTC-USDT +BUY +60000 +0\\.001 +0 +CANCELED`));
    expect(history.stdout).toMatch(/ETH-USDT +SELL +- +0\.01 +0\.01 +FILLED/);
    expect(history.stdout).toMatch(/^fills \(1, oldest first\)$/m);
    expect(history.stdout).toMatch(/ETH-USDT +[\d.]+ +0\.01 +[\d.]+ USDT$/m);

    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`venue: exchange at ${exchange.restUrl} (a simulator: synthetic market, not real market data)`);
    expect(status.stdout).toMatch(/^ready: yes$/m);
    for (const part of ['symbolMap', 'orderBooks', 'balances', 'tradingRules', 'userStream']) expect(status.stdout).toContain(`  ${part}: yes`);
    expect(status.stdout).toContain('user stream: subscribed\n');
    expect(status.stdout).toContain('tracked orders: 0 active, 0 lost');
  }, 90_000); // eight CLI processes in a row: 30 s was not enough on a loaded 2-core machine
});
