import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { OrderEvent } from '../../../../src/core/events/order-events.js';
import { Decimal } from '../../../../src/core/decimal.js';
import type { ReadonlyInFlightOrder } from '../../../../src/core/orders/in-flight-order.js';
import { OrderState } from '../../../../src/core/types.js';
import { simulatorUrls } from '../../../../src/exchanges/binance/constants.js';
import { BinanceExchange, type BinanceExchangeOptions } from '../../../../src/exchanges/binance/exchange.js';
import { startSimulator, type AccountHandle, type Simulator, type SimulatorOptions, type Stage, type StagePosition } from '../../../../src/simulator/index.js';
import { waitFor } from '../../../support/wait.js';

/**
 * A still simulator (no market activity, empty books unless asked): every fill in a test comes from
 * a counter-order the test places itself, so the exchange's truth is exactly known.
 */
export function startStillSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  // Binance's limits, counted per API key: each test's account has its own budget.
  return startSimulator({ activity: false, seedLiquidity: false, limits: { scope: 'apiKey' }, ...options });
}

/** Small intervals everywhere, an in-memory store, the simulator's URLs. */
export function connect(sim: Simulator, account: AccountHandle, options: Partial<BinanceExchangeOptions> = {}): BinanceExchange {
  return connectWith(BinanceExchange, sim, account, options);
}

/** `connect` with a subclass (a test may override protected methods to watch them). */
export function connectWith<E extends BinanceExchange>(
  Exchange: new (options: BinanceExchangeOptions) => E,
  sim: Simulator,
  account: AccountHandle,
  options: Partial<BinanceExchangeOptions> = {},
): E {
  return new Exchange({
    apiKey: account.apiKey,
    apiSecret: account.apiSecret,
    urls: simulatorUrls(sim),
    databasePath: ':memory:',
    tradingPairs: ['BTC-USDT'],
    tickIntervalMs: 10,
    shortPollIntervalMs: 60,
    longPollIntervalMs: 60_000,
    retryDelayMs: 20,
    cancelAllTimeoutMs: 5_000,
    requestTimeoutMs: 3_000,
    checkNetworkIntervalMs: 100,
    timeSyncIntervalMs: 60_000,
    depthSnapshotLimit: 100,
    ws: { reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, pingIntervalMs: 1_000, idleTimeoutMs: 5_000 },
    ...options,
    tracker: { fillWaitTimeoutMs: 500, lostOrderMinSpacingMs: 1_000, ...options.tracker },
  });
}

/** Starts the network and waits until `ready`. */
export async function startReady(exchange: BinanceExchange): Promise<void> {
  await exchange.startNetwork();
  await waitFor(() => exchange.ready, `${exchange.name} ready (${JSON.stringify(exchange.statusDict)})`);
}

/** Another account trades against ours: an IOC limit order straight into the engine. */
export function take(sim: Simulator, taker: AccountHandle, pair: string, side: 'BUY' | 'SELL', price: string, quantity: string): void {
  const result = sim.engine.submitOrder({ accountId: taker.accountId, pair, side, type: 'LIMIT', timeInForce: 'IOC', price, quantity });
  if (!result.ok) throw new Error(`taker order refused: ${JSON.stringify(result)}`);
}

const SIM_STATE: Record<string, OrderState> = {
  NEW: OrderState.OPEN,
  PARTIALLY_FILLED: OrderState.PARTIALLY_FILLED,
  FILLED: OrderState.FILLED,
  CANCELED: OrderState.CANCELED,
  EXPIRED: OrderState.EXPIRED,
  EXPIRED_IN_MATCH: OrderState.EXPIRED,
};

/** The exchange's view of one of our orders, by client id. */
export function exchangeOrder(sim: Simulator, account: AccountHandle, clientOrderId: string) {
  return sim.admin.orders(account.accountId).find((o) => o.clientOrderId === clientOrderId);
}

/**
 * The connector's view of these orders equals the exchange's: state, exchange id, executed amount,
 * and the fills (trade ids and amounts, each once).
 */
export function expectOrdersMatchExchange(sim: Simulator, account: AccountHandle, orders: readonly ReadonlyInFlightOrder[]): void {
  const fills = sim.admin.fills(account.accountId);
  for (const order of orders) {
    const truth = exchangeOrder(sim, account, order.clientOrderId);
    expect(truth, `the exchange has ${order.clientOrderId}`).toBeDefined();
    expect(order.currentState, `state of ${order.clientOrderId}`).toBe(SIM_STATE[truth!.status]);
    expect(order.exchangeOrderId).toBe(String(truth!.orderId));
    expect(order.executedAmountBase.toString(), `executed amount of ${order.clientOrderId}`).toBe(truth!.executedQty.toString());
    const own = fills.filter((f) => f.orderId === truth!.orderId);
    expect([...order.orderFills.keys()].sort()).toEqual(own.map((f) => String(f.tradeId)).sort());
    for (const f of own) {
      const mine = order.orderFills.get(String(f.tradeId))!;
      expect(mine.fillBaseAmount.eq(f.qty)).toBe(true);
      expect(mine.fillPrice.eq(f.price)).toBe(true);
    }
  }
}

/** The connector's balances equal the exchange's: total = free + locked, available = free, for every asset. */
export function expectBalancesMatchExchange(sim: Simulator, account: AccountHandle, exchange: BinanceExchange): void {
  const truth = sim.admin.balances(account.accountId);
  for (const [asset, b] of Object.entries(truth)) {
    expect(exchange.getBalance(asset).toString(), `total ${asset}`).toBe(b.free.plus(b.locked).toString());
  }
  for (const b of exchange.getAllBalances()) {
    const t = truth[b.asset] ?? { free: new Decimal(0), locked: new Decimal(0) };
    expect(b.available.toString(), `available ${b.asset}`).toBe(t.free.toString());
  }
}

/** Waits until the connector's balances equal the exchange's. */
export async function balancesSettle(sim: Simulator, account: AccountHandle, exchange: BinanceExchange): Promise<void> {
  await waitFor(() => {
    try {
      expectBalancesMatchExchange(sim, account, exchange);
      return true;
    } catch {
      return false;
    }
  }, 'balances equal to the exchange');
}

/** Every REST request the simulator receives from now on, as `METHOD path`, until `stop`. */
export function recordRequests(sim: Simulator): { readonly requests: string[]; count(what: string): number; countMatching(query: RegExp): number; stop(): void } {
  const name = `test-recorder-${Math.random().toString(36).slice(2)}`;
  const requests: string[] = [];
  const queries: string[] = [];
  sim.server.pipeline.use(name, (req, next) => {
    requests.push(`${req.method} ${req.path}`);
    queries.push(`${req.method} ${req.path}?${req.rawQuery}`);
    return next();
  }, { before: 'route' });
  return {
    requests,
    count: (what) => requests.filter((r) => r === what).length,
    countMatching: (query) => queries.filter((q) => query.test(q)).length,
    stop: () => sim.server.pipeline.remove(name),
  };
}

/**
 * A fault on the REST path: `stage` sees each request after authentication (so `req.route` and
 * `req.params` are known) and decides, until the returned function removes it.
 */
export function onRest(sim: Simulator, stage: Stage, position: StagePosition = { after: 'auth' }): () => void {
  const name = `test-fault-${Math.random().toString(36).slice(2)}`;
  sim.server.pipeline.use(name, stage, position);
  return () => sim.server.pipeline.remove(name);
}

/** One simulator per test file, with a taker account and per-test cleanup. */
export interface SimulatorFixture {
  /** Valid from beforeAll on. */
  readonly sim: Simulator;
  /** An account with plenty of everything, to trade against ours. */
  readonly taker: AccountHandle;
  /** A fresh account; its open orders are cancelled after the test. */
  account(balances?: Record<string, string>): AccountHandle;
  /** An exchange for `account`, closed after the test, with the order events it announced. */
  connect(account: AccountHandle, options?: Partial<BinanceExchangeOptions>): { ex: BinanceExchange; events: OrderEvent[] };
  connectWith<E extends BinanceExchange>(Exchange: new (options: BinanceExchangeOptions) => E, account: AccountHandle, options?: Partial<BinanceExchangeOptions>): { ex: E; events: OrderEvent[] };
  /** Runs after the test (in reverse order): removing a fault, closing something. */
  after(cleanup: () => unknown): void;
}

/**
 * Registers beforeAll/afterAll/afterEach for a still simulator shared by the tests of one file:
 * after each test its exchanges are closed, its faults cleared and its accounts' orders cancelled,
 * so every test starts from empty books.
 */
export function useStillSimulator(options: SimulatorOptions = {}): SimulatorFixture {
  let sim: Simulator | undefined;
  let taker: AccountHandle | undefined;
  const accounts: AccountHandle[] = [];
  const cleanups: (() => unknown)[] = [];
  beforeAll(async () => {
    sim = await startStillSimulator(options);
    taker = sim.admin.createAccount({ balances: { USDT: '1000000', BTC: '100', ETH: '1000' } });
  });
  afterAll(async () => {
    await sim?.close();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    sim!.admin.faults.clear();
    for (const account of [...accounts.splice(0), taker!]) for (const pair of PAIRS) sim!.engine.cancelAllOrders(account.accountId, pair);
  });
  const fixture: SimulatorFixture = {
    get sim() {
      return sim!;
    },
    get taker() {
      return taker!;
    },
    account(balances = { USDT: '10000', BTC: '1' }) {
      const account = sim!.admin.createAccount({ balances });
      accounts.push(account);
      return account;
    },
    connect(account, connectOptions = {}) {
      return fixture.connectWith(BinanceExchange, account, connectOptions);
    },
    connectWith(Exchange, account, connectOptions = {}) {
      const ex = connectWith(Exchange, sim!, account, connectOptions);
      cleanups.push(() => ex.close());
      const events: OrderEvent[] = [];
      ex.events.onAny((e) => void events.push(e));
      return { ex, events };
    },
    after(cleanup) {
      cleanups.push(cleanup);
    },
  };
  return fixture;
}

const PAIRS = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'];
