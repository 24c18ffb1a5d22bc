import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from '../simulator/support/client.js';
import { tempDir } from '../support/tmp.js';
import { jsonSummary, runCli, startCli, startSimChild, type SimChild } from './support/cli-child.js';

describe('venuekit run', () => {
  const cleanups: (() => void | Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const dataDir = () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    return tmp.path;
  };
  const sim = async (args: string[] = []): Promise<SimChild> => {
    const s = await startSimChild(args);
    cleanups.push(() => s.stop());
    return s;
  };

  it('--exchange-url: trades on a separate venuekit sim with its demo key and leaves no order open there', async () => {
    const exchange = await sim();
    const run = await runCli(['run', '--exchange-url', exchange.restUrl, '--duration', '5', '--data-dir', dataDir(), '--json-summary']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`venue: exchange at ${exchange.restUrl} (a simulator: synthetic market, not real market data)`);
    expect(run.stdout).toMatch(/^account: uid \d+, SPOT, can trade: yes, API key \w{4}…\w{4}$/m);
    const summary = jsonSummary(run.stdout);
    expect(summary.openOrdersOnExchange).toBe(0);

    // The exchange's own answer, with its demo key: the bot traded, and nothing of it is open.
    const client = new TestClient(exchange.restUrl, exchange.apiKey, exchange.apiSecret);
    const all = (await client.signed('GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', limit: 1000 })).body as { clientOrderId: string; status: string }[];
    const bots = all.filter((o) => o.clientOrderId.startsWith('vk-'));
    // Every order the exchange acknowledged (a refused post-only gets no order id, as on Binance).
    expect(bots.length).toBe(summary.ordersPlaced);
    expect(bots.length).toBeGreaterThan(0);
    expect(bots.filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')).toEqual([]);
    const open = (await client.signed('GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body as unknown[];
    expect(open).toEqual([]);
    const trades = (await client.signed('GET', '/api/v3/myTrades', { symbol: 'BTCUSDT', limit: 1000 })).body as unknown[];
    expect(trades.length).toBe(summary.fills);
  });

  it('a second Ctrl-C while the stop waits for the exchange leaves at once', async () => {
    const exchange = await sim();
    const bot = await startCli(['run', '--exchange-url', exchange.restUrl, '--data-dir', dataDir()]);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    await bot.waitForLine(/\] created /);
    exchange.process.child.kill('SIGSTOP'); // the exchange stops answering: cancellations wait
    bot.child.kill('SIGINT');
    await bot.waitForLine(/^stopping \(interrupted\): cancelling \d+ open orders?; Ctrl-C again to leave at once$/);
    bot.child.kill('SIGINT');
    const { code } = await bot.exited;
    expect(code).toBe(130);
    expect(bot.lines.join('\n')).toContain('second Ctrl-C: leaving now');
    exchange.process.child.kill('SIGCONT');
  });

  it('says clearly what is wrong with where to trade, before anything is sent', async () => {
    const dir = dataDir();
    const cases: [string[], string][] = [
      [['--live'], 'venuekit: --live needs BINANCE_API_KEY and BINANCE_API_SECRET in the environment (keys are never read from the command line or a config file); BINANCE_API_KEY is not set'],
      [['--testnet'], "venuekit: --testnet picks Binance's testnet for --live: add --live (keys from BINANCE_API_KEY and BINANCE_API_SECRET)"],
      [['--live', '--exchange-url', 'http://127.0.0.1:1'], 'venuekit: --live and --exchange-url exclude each other'],
      [['--exchange-url', 'ftp://127.0.0.1'], 'venuekit: --exchange-url must be an http:// or https:// address such as http://127.0.0.1:8090, got "ftp://127.0.0.1"'],
      [['--exchange-url', 'http://127.0.0.1:1'], 'venuekit: cannot reach the exchange at http://127.0.0.1:1'],
    ];
    writeFileSync(`${dir}/keys.yaml`, 'exchange:\n  apiKey: abc\n  apiSecret: def\n');
    // None of them gets as far as opening the tracking store, so they run at once.
    const [keys, strategy, ...results] = await Promise.all([
      runCli(['run', '--live', '--config', `${dir}/keys.yaml`], { env: { BINANCE_API_KEY: 'k', BINANCE_API_SECRET: 's' } }),
      runCli(['run', '--strategy', 'grid']),
      ...cases.map(([args]) => runCli(['run', ...args, '--data-dir', dir])),
    ]);
    results.forEach((r, i) => {
      const args = cases[i]![0].join(' ');
      expect(r.code, args).toBe(2);
      expect(r.stderr.startsWith(cases[i]![1]), `${args}: ${r.stderr}`).toBe(true);
    });
    expect(keys.code).toBe(2);
    expect(keys.stderr).toMatch(/the config file sets exchange.apiKey\/apiSecret: those are for a simulator\. With --live the keys come only from BINANCE_API_KEY and BINANCE_API_SECRET/);
    expect(strategy.code).not.toBe(0);
    expect(strategy.stderr).toContain('must be one of market-making, got "grid"');
  });
});
