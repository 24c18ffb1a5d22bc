import { describe, expect, it } from 'vitest';
import { OrderState, OrderType } from '../../../../src/core/types.js';
import { simulatorUrls } from '../../../../src/exchanges/binance/constants.js';
import { BinanceExchange } from '../../../../src/exchanges/binance/exchange.js';
import { waitFor } from '../../../support/wait.js';
import { balancesSettle, expectBalancesMatchExchange, onRest, startReady, useStillSimulator } from './support.js';

/** Records the USDT total right after each REST balance snapshot has been applied. */
class WatchedBalances extends BinanceExchange {
  readonly usdtAfterRefresh: string[] = [];
  protected override async updateBalances(): Promise<void> {
    await super.updateBalances();
    this.usdtAfterRefresh.push(this.getBalance('USDT').toString());
  }
}

const isAccount = (req: { method: string; path: string }) => req.method === 'GET' && req.path === '/api/v3/account';

/**
 * The balance rules end to end: the REST snapshot replaces the table (assets absent from it go to
 * zero), except an asset a newer user stream position already set while the snapshot was on its
 * way (the exchange's update times decide); what new orders may use subtracts orders pending creation.
 */
describe('balances against the simulator', () => {
  const fx = useStillSimulator();

  it('the REST snapshot replaces the table: an asset withdrawn while the stream is down goes to zero (absent from the answer)', async () => {
    const account = fx.account({ USDT: '10000', BTC: '1', ETH: '2' });
    const listed: string[][] = [];
    fx.after(
      onRest(fx.sim, async (req, next) => {
        const res = await next();
        if (isAccount(req)) listed.push(((res.body as { balances?: { asset: string }[] }).balances ?? []).map((b) => b.asset));
        return res;
      }),
    );
    // Nothing listens on port 1: the user stream never connects, so only the snapshot tells.
    const { ex } = fx.connect(account, { urls: { ...simulatorUrls(fx.sim), wsApiUrl: 'ws://127.0.0.1:1/ws-api/v3' } });
    await startReady(ex);
    expect(ex.getBalance('ETH').toString()).toBe('2');

    fx.sim.admin.setBalance(account.accountId, 'ETH', '0');
    fx.sim.admin.deposit(account.accountId, 'USDT', '5');
    await waitFor(() => ex.getBalance('ETH').isZero() && ex.getBalance('USDT').eq('10005'), 'the withdrawal and the deposit learnt by polling');
    expect(listed.at(-1)).not.toContain('ETH');
    expect(ex.getAvailableBalance('ETH').toString()).toBe('0');
    expect(ex.getAllBalances().map((b) => b.asset)).toEqual(['BTC', 'USDT']);
    await balancesSettle(fx.sim, account, ex);
  });

  it('available for new orders: a market buy pending creation holds its amount at the best ask until the exchange shows it', async () => {
    const account = fx.account();
    const { ex } = fx.connect(account);
    await startReady(ex);
    fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'BTC-USDT', side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.5' });
    await waitFor(() => ex.getOrderBook('BTC-USDT').bestAsk() !== undefined, 'the ask in the book');
    await balancesSettle(fx.sim, account, ex);

    const id = ex.buy('BTC-USDT', '0.01', OrderType.MARKET);
    expect(ex.inFlightOrders.get(id)?.currentState).toBe(OrderState.PENDING_CREATE);
    expect(ex.getAvailableBalance('USDT').toString()).toBe('9400');
    const order = ex.orderTracker.fetchOrder(id)!;
    await waitFor(() => order.isDone, 'the market buy filled');
    expect(order.currentState).toBe(OrderState.FILLED);
    await balancesSettle(fx.sim, account, ex);
    expect(ex.getAvailableBalance('USDT').toString()).toBe('9400');
  });

  it("a market order's fills taken from its create answer, its user stream events lost: balances equal the exchange's within one short poll (default intervals)", async () => {
    const account = fx.account();
    // Default intervals: with the stream live, the status poll is 120 s away, so only the snapshot asked for after the fill can tell.
    const { ex } = fx.connect(account);
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    fx.sim.engine.submitOrder({ accountId: fx.taker.accountId, pair: 'BTC-USDT', side: 'SELL', type: 'LIMIT', price: '60000', quantity: '0.5' });
    await waitFor(() => ex.getOrderBook('BTC-USDT').bestAsk() !== undefined, 'the ask in the book');
    await balancesSettle(fx.sim, account, ex);
    const before = ex.getBalance('USDT').toString();

    fx.sim.admin.faults.inject({ kind: 'drop', stream: 'userData', events: ['executionReport', 'outboundAccountPosition', 'balanceUpdate'], accountId: account.accountId });
    const id = ex.buy('BTC-USDT', '0.01', OrderType.MARKET);
    const order = ex.orderTracker.fetchOrder(id)!;
    await waitFor(() => order.isDone, 'the market buy filled, learnt from its create answer');
    expect(order.currentState).toBe(OrderState.FILLED);
    expect(ex.userStreamLive).toBe(true);
    // Bounded by one short poll (5 s): far below the 120 s long poll the live stream would otherwise wait for.
    const equal = () => {
      try {
        expectBalancesMatchExchange(fx.sim, account, ex);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => ex.getBalance('USDT').toString() !== before && equal(), 'the fill in balances equal to the exchange', 5_000);
  });

  it('a snapshot sent before a newer stream position arrived does not overwrite it', async () => {
    const account = fx.account();
    // Polled often even while the user stream is live, so a snapshot can race a position.
    const { ex } = fx.connectWith(WatchedBalances, account, { longPollIntervalMs: 100 });
    await startReady(ex);
    await waitFor(() => ex.userStreamLive, 'the user stream live');
    await balancesSettle(fx.sim, account, ex);

    let armed = true;
    let held = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    fx.after(release);
    fx.after(
      onRest(fx.sim, async (req, next) => {
        if (!isAccount(req) || !armed) return next();
        armed = false;
        // The snapshot is taken now (USDT 10000), and answered only after the deposit below.
        const res = await next();
        held = true;
        await released;
        return res;
      }),
    );
    await waitFor(() => held, 'a balance snapshot taken and held');
    // A later exchange millisecond than the snapshot's update time.
    const takenAt = Date.now();
    await waitFor(() => Date.now() > takenAt + 2, 'the exchange clock past the snapshot');
    fx.sim.admin.deposit(account.accountId, 'USDT', '250');
    await waitFor(() => ex.getBalance('USDT').eq('10250'), 'the deposit by the stream');

    const refreshed = ex.usdtAfterRefresh.length;
    release();
    await waitFor(() => ex.usdtAfterRefresh.length > refreshed, 'the held snapshot applied');
    // The stale snapshot (10000) left the newer stream value in place.
    expect(ex.usdtAfterRefresh[refreshed]).toBe('10250');
    expect(ex.getBalance('USDT').toString()).toBe('10250');
    await balancesSettle(fx.sim, account, ex);
  });
});
