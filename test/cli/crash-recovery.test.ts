import { afterEach, describe, expect, it } from 'vitest';
import { Decimal } from '../../src/core/decimal.js';
import { openTrackingStore } from '../../src/core/persistence/sqlite-tracking-store.js';
import { TestClient } from '../simulator/support/client.js';
import { tempDir } from '../support/tmp.js';
import { jsonSummary, runCli, startCli, startSimChild, type SimChild } from './support/cli-child.js';

interface ExchangeOrder {
  orderId: number;
  clientOrderId: string;
  status: string;
  executedQty: string;
}
interface ExchangeTrade {
  id: number;
  orderId: number;
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
}

const STATE: Record<string, string> = { FILLED: 'FILLED', CANCELED: 'CANCELED', EXPIRED: 'EXPIRED', EXPIRED_IN_MATCH: 'EXPIRED' };

describe('crash recovery through the CLI', () => {
  let exchange: SimChild | undefined;
  let tmp: ReturnType<typeof tempDir> | undefined;
  afterEach(async () => {
    await exchange?.stop();
    tmp?.cleanup();
  });

  it('venuekit run killed with SIGKILL mid-run, started again: every order and fill recovered, checked against the exchange', async () => {
    exchange = await startSimChild();
    tmp = tempDir();
    const args = ['run', '--exchange-url', exchange.restUrl, '--data-dir', tmp.path];

    const first = await startCli(args);
    await first.waitForLine(/\] filled /, 20_000, 3);
    // Killed just as a new quote went out: orders open on the exchange, maybe one still on its way.
    const created = first.lines.filter((l) => /\] created /.test(l)).length;
    await first.waitForLine(/\] created /, 20_000, created + 1);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // The market keeps trading against the orders left behind while the bot is down.
    const second = await runCli([...args, '--duration', '2', '--json-summary']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^tracking store: .*venuekit\.sqlite \(took back [1-9]\d* open orders? of an earlier run\)$/m);
    expect(jsonSummary(second.stdout).openOrdersOnExchange).toBe(0);

    // The exchange's truth.
    const client = new TestClient(exchange.restUrl, exchange.apiKey, exchange.apiSecret);
    const orders = ((await client.signed('GET', '/api/v3/allOrders', { symbol: 'BTCUSDT', limit: 1000 })).body as ExchangeOrder[]).filter((o) => o.clientOrderId.startsWith('vk-'));
    const trades = (await client.signed('GET', '/api/v3/myTrades', { symbol: 'BTCUSDT', limit: 1000 })).body as ExchangeTrade[];
    expect(orders.filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')).toEqual([]);

    // What the bot's tracking store says after the restart.
    const store = openTrackingStore({ path: `${tmp.path}/venuekit.sqlite`, connector: `binance@${exchange.restUrl}` });
    try {
      const saved = new Map(store.listOrders().map((o) => [o.clientOrderId, o]));
      for (const o of orders) {
        const mine = saved.get(o.clientOrderId);
        expect(mine, `exchange order ${o.clientOrderId} in the store`).toBeDefined();
        expect(mine!.state, o.clientOrderId).toBe(STATE[o.status]);
        expect(mine!.exchangeOrderId).toBe(String(o.orderId));
        expect(mine!.executedAmountBase.eq(new Decimal(o.executedQty)), o.clientOrderId).toBe(true);
        expect(mine!.tracking).not.toBe('active');
      }
      // Orders the store has but the exchange does not were refused on creation (a post-only the market moved into).
      const onExchange = new Set(orders.map((o) => o.clientOrderId));
      for (const o of saved.values()) if (!onExchange.has(o.clientOrderId)) expect(o.state, o.clientOrderId).toBe('FAILED');

      const clientIdOf = new Map(orders.map((o) => [o.orderId, o.clientOrderId]));
      const savedFills = store.listFills();
      expect(savedFills.length).toBe(trades.length);
      const byTrade = new Map(savedFills.map((f) => [f.trade.tradeId, f]));
      for (const t of trades) {
        const f = byTrade.get(String(t.id));
        expect(f, `trade ${t.id} in the store`).toBeDefined();
        expect(f!.clientOrderId).toBe(clientIdOf.get(t.orderId));
        expect(f!.trade.fillPrice.eq(new Decimal(t.price))).toBe(true);
        expect(f!.trade.fillBaseAmount.eq(new Decimal(t.qty))).toBe(true);
        expect(f!.trade.fee.flatFees).toEqual([{ token: t.commissionAsset, amount: new Decimal(t.commission) }]);
      }
      expect(trades.length).toBeGreaterThanOrEqual(3);
    } finally {
      store.close();
    }
  });
});
