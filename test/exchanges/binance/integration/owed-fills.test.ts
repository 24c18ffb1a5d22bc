import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTrackingStore } from '../../../../src/core/persistence/sqlite-tracking-store.js';
import { OrderState, TradeType } from '../../../../src/core/types.js';
import { simulatorUrls } from '../../../../src/exchanges/binance/constants.js';
import type { AccountHandle } from '../../../../src/simulator/index.js';
import { bundleChild } from '../../../support/child-bundle.js';
import { tempDir } from '../../../support/tmp.js';
import { waitFor } from '../../../support/wait.js';
import { balancesSettle, expectOrdersMatchExchange, recordRequests, startReady, take, useStillSimulator } from './support.js';

/**
 * An order that reaches FILLED while its trades cannot be fetched (myTrades answers 503 and the
 * stream loses the executionReports) completes through the fill barrier with its fills owed. That
 * debt is saved: after a clean stop or a SIGKILL the next run restores the order, fetches the fills
 * and announces each once, after the OrderCompleted of the run before.
 */
describe('owed fills survive the process', () => {
  const fx = useStillSimulator();
  // The stream stays live (balances still come), so the state is learnt by a quick long poll.
  const timings = { longPollIntervalMs: 100 };

  /** The stream loses this account's order events and myTrades answers 503: fills can only be owed. */
  function tradesUnreachable(account: AccountHandle): void {
    fx.sim.admin.faults.inject({ kind: 'drop', stream: 'userData', events: ['executionReport'], accountId: account.accountId });
    fx.sim.admin.faults.inject({ kind: 'server-error', endpoint: 'GET /api/v3/myTrades', status: 503, accountId: account.accountId });
  }

  /** Restarts on the file with the faults gone; the fills come exactly once, the store ends complete. */
  async function restartAndCollect(account: AccountHandle, path: string, clientOrderId: string): Promise<void> {
    fx.sim.admin.faults.clear();
    const { ex, events } = fx.connect(account, { databasePath: path, ...timings });
    // Restored before the network starts, still owed, and it says so.
    expect(ex.health().fillsOwed.map((o) => [o.clientOrderId, o.state, o.executedAmountBase.toString(), o.reportedExecuted.toString()])).toEqual([
      [clientOrderId, OrderState.FILLED, '0', '0.01'],
    ]);
    await startReady(ex);
    await waitFor(() => ex.health().fillsOwed.length === 0, 'the owed fills fetched');
    const order = ex.orderTracker.fetchOrder(clientOrderId)!;
    expect(events.map((e) => e.type)).toEqual(['OrderFilled', 'OrderFilled']);
    expectOrdersMatchExchange(fx.sim, account, [order]);
    await balancesSettle(fx.sim, account, ex);
    await ex.close();

    const store = openTrackingStore({ path, connector: 'binance' });
    try {
      expect(store.listEvents({ clientOrderId }).map((e) => e.type)).toEqual(['OrderCreated', 'OrderCompleted', 'OrderFilled', 'OrderFilled']);
      expect(store.listFills({ clientOrderId })).toHaveLength(2);
      expect(store.listOrders({ clientOrderId })[0]!.fillsOwed).toBeUndefined();
      expect(store.owedFillOrders()).toEqual([]);
    } finally {
      store.close();
    }

    // A third run has nothing left to fetch or announce.
    const third = fx.connect(account, { databasePath: path, ...timings });
    expect(third.ex.health().fillsOwed).toEqual([]);
    await startReady(third.ex);
    expect(third.events).toEqual([]);
  }

  it('a clean stop with fills owed: the store keeps the debt (history and health say so), the next run fetches them and announces each once', async () => {
    const dir = tempDir();
    fx.after(() => dir.cleanup());
    const path = join(dir.path, 'venuekit.sqlite');
    const account = fx.account();
    const { ex, events } = fx.connect(account, { databasePath: path, ...timings });
    await startReady(ex);
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
    tradesUnreachable(account);
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.004');
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.006');
    await waitFor(() => order.isDone, 'completed by the fill barrier timeout');
    expect(events.map((e) => e.type)).toEqual(['OrderCreated', 'OrderCompleted']);
    expect(events[1]).toMatchObject({ fillsComplete: false });
    expect(ex.health().fillsOwed).toMatchObject([{ clientOrderId: order.clientOrderId, tradingPair: 'BTC-USDT' }]);
    await ex.close();

    const store = openTrackingStore({ path, connector: 'binance' });
    try {
      const saved = store.listOrders({ clientOrderId: order.clientOrderId })[0]!;
      expect(saved.tracking).toBe('done');
      expect(saved.fillsOwed?.reportedExecuted.toString()).toBe('0.01');
    } finally {
      store.close();
    }
    await restartAndCollect(account, path, order.clientOrderId);
  });

  it('SIGKILL after the fill barrier timed out and before the fills were fetched: the next run fetches them and announces each once', async () => {
    const dir = tempDir();
    fx.after(() => dir.cleanup());
    const path = join(dir.path, 'venuekit.sqlite');
    const account = fx.account();
    tradesUnreachable(account);
    const entry = await bundleChild(new URL('./fixtures/owed-fills-child.ts', import.meta.url));
    const config = { urls: simulatorUrls(fx.sim), apiKey: account.apiKey, apiSecret: account.apiSecret, path };
    const child = spawn(process.execPath, [entry, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    fx.after(() => child.kill('SIGKILL'));
    const lines: string[] = [];
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    let rest = '';
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      lines.push(...parts);
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    await waitFor(() => lines.some((l) => l.startsWith('ORDER ')), `the child placed its order (stderr: ${stderr})`, 30_000);
    const clientOrderId = lines.find((l) => l.startsWith('ORDER '))!.slice('ORDER '.length);
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.004');
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.006');
    await waitFor(() => lines.includes('EVENT OrderCompleted false'), `the child's order completed with fills owed (stderr: ${stderr})`, 30_000);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(lines.filter((l) => l.startsWith('EVENT '))).toEqual(['EVENT OrderCreated -', 'EVENT OrderCompleted false']);
    await restartAndCollect(account, path, clientOrderId);
  });

  it('fills still owed are fetched with backoff, not on every poll, and never given up', async () => {
    const account = fx.account();
    const { ex } = fx.connect(account, timings);
    await startReady(ex);
    const order = await ex.submitOrder(TradeType.BUY, { tradingPair: 'BTC-USDT', amount: '0.01', price: '61000' });
    tradesUnreachable(account);
    take(fx.sim, fx.taker, 'BTC-USDT', 'SELL', '61000', '0.01');
    await waitFor(() => order.isDone, 'completed by the fill barrier timeout');
    const requests = recordRequests(fx.sim);
    fx.after(() => requests.stop());
    const first = ex.health().fillsOwed[0]!.attempts;
    await waitFor(() => (ex.health().fillsOwed[0]?.attempts ?? 0) >= first + 2, 'two more attempts', 10_000);
    // Polls ran every 100 ms meanwhile (about 30 in the 3 s of two backoff steps); the fetches of
    // the ended order only at the backoff's pace (each attempt is one GET and the REST client's retries of the 503).
    expect(requests.count('GET /api/v3/account')).toBeGreaterThanOrEqual(10);
    expect(requests.countMatching(/^GET \/api\/v3\/myTrades\?.*\borderId=/)).toBeLessThan(requests.count('GET /api/v3/account') / 2);
    fx.sim.admin.faults.clear();
    await waitFor(() => ex.health().fillsOwed.length === 0, 'the fills fetched once the exchange answers', 15_000);
    expect(order.isFilled).toBe(true);
    expectOrdersMatchExchange(fx.sim, account, [order]);
  });
});
