import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { OrderCreatedEvent, OrderCancelledEvent } from '../../src/core/events/order-events.js';
import { OrderType } from '../../src/core/types.js';
import type { BinanceExchange } from '../../src/exchanges/binance/exchange.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { Strategy } from '../../src/strategy/strategy.js';
import { waitFor } from '../support/wait.js';
import { connect } from './support.js';

/** Buys once, far below the market, and records what it sees. */
class Probe extends Strategy {
  readonly name = 'probe';
  readonly tradingPairs = ['BTC-USDT'];
  readonly seen: string[] = [];
  created: OrderCreatedEvent[] = [];
  cancelled: OrderCancelledEvent[] = [];
  release: (() => void) | undefined;
  throwOnTick = false;

  protected override onStart(): void {
    this.seen.push('start');
  }
  protected override async onTick(now: number): Promise<void> {
    this.seen.push(`tick ${now}`);
    if (this.throwOnTick) throw new Error('strategy bug');
    if (this.release === undefined && this.activeOrders.length === 0 && this.seen.filter((s) => s.startsWith('tick')).length === 1) {
      const book = this.orderBook('BTC-USDT')!;
      const price = book.bestBid()!.price;
      this.buy('BTC-USDT', '0.001', (Number(price) * 0.5).toFixed(2), OrderType.LIMIT);
      await new Promise<void>((resolve) => (this.release = resolve));
    }
  }
  protected override onStop(): void {
    this.seen.push('stop');
  }
  protected override onOrderCreated(event: OrderCreatedEvent): void {
    this.created.push(event);
  }
  protected override onOrderCancelled(event: OrderCancelledEvent): void {
    this.cancelled.push(event);
  }
  get balances_(): string {
    return `${this.balance('USDT').toString()} ${this.availableBalance('USDT').toString()} ${this.tradingRule('BTC-USDT')?.minPriceIncrement.toString()}`;
  }
}

describe('Strategy', () => {
  let sim: Simulator;
  let exchange: BinanceExchange;

  beforeEach(async () => {
    sim = await startSimulator({ activity: false });
    const bot = sim.admin.createAccount({ balances: { USDT: '100000', BTC: '1' } });
    exchange = await connect(sim, bot);
  });
  afterEach(async () => {
    await exchange.close();
    await sim.close();
  });

  it('runs start, ticks without overlap, its own order events, and stop after the tick in progress', async () => {
    const clock = new ManualClock(0, { tickIntervalMs: 100 });
    const probe = new Probe({ clock });
    expect(() => probe.exchange).toThrow(/not been started/);
    await probe.start(exchange);
    expect(probe.state).toBe('running');
    expect(probe.balances_).toBe('100000 100000 0.01');

    clock.advance(100); // first tick places an order and waits
    await waitFor(() => probe.created.length === 1, 'OrderCreated for the probe');
    clock.advance(300); // ticks due meanwhile are skipped: the first is still running
    expect(probe.seen).toEqual(['start', 'tick 100']);
    expect(probe.tickCount).toBe(1);

    // An order the strategy did not place is not its business.
    const other = exchange.buy('BTC-USDT', '0.01', OrderType.LIMIT, '1000');
    await waitFor(() => exchange.inFlightOrders.get(other)?.isOpen === true, 'the other order');
    expect(probe.ownsOrder(other)).toBe(false);
    expect(probe.activeOrders.map((o) => o.clientOrderId)).toEqual([probe.created[0]!.clientOrderId]);

    const stopping = probe.stop();
    expect(probe.state).toBe('stopping');
    probe.release!();
    await stopping;
    expect(probe.seen).toEqual(['start', 'tick 100', 'stop']);
    expect(probe.state).toBe('stopped');
    clock.advance(1_000);
    expect(probe.tickCount).toBe(1);

    expect(await probe.cancelOpenOrders(5_000)).toBe(true);
    expect(probe.activeOrders).toEqual([]);
    expect(exchange.inFlightOrders.get(probe.created[0]!.clientOrderId)).toBeUndefined();
    // Events reach a strategy until its stop returns, not after.
    expect(probe.cancelled).toEqual([]);
    expect(probe.created[0]!.clientOrderId).not.toBe(other);
    expect(exchange.inFlightOrders.get(other)?.isOpen).toBe(true);
  });

  it('a hook that throws is logged and the strategy keeps ticking', async () => {
    const clock = new ManualClock(0, { tickIntervalMs: 10 });
    const probe = new Probe({ clock });
    probe.throwOnTick = true;
    await probe.start(exchange);
    clock.advance(10);
    await probe.tick(); // a tick is running: this one is skipped and waits for it
    clock.advance(10);
    await probe.tick();
    expect(probe.seen).toEqual(['start', 'tick 10', 'tick 20']);
    expect(probe.tickCount).toBe(2);
    await probe.stop();
  });

  it('refuses a bad tick interval and a second start', async () => {
    expect(() => new Probe({ tickIntervalMs: 0 })).toThrow(/tickIntervalMs/);
    const probe = new Probe({ clock: new ManualClock(0) });
    await probe.start(exchange);
    await expect(probe.start(exchange)).rejects.toThrow(/already running/);
    await probe.stop();
  });
});
