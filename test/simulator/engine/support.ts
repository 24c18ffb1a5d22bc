import { Engine, type EngineTransaction, type NewOrder, type Order } from '../../../src/simulator/engine/index.js';

export const PAIR = 'BTC-USDT';

/** An engine on a fixed clock with BTC-USDT (Binance's filters) and two funded accounts, a and b. */
export function testEngine(options: { history?: number; rules?: Record<string, unknown> } = {}) {
  let clock = 1_700_000_000_000;
  const engine = new Engine({
    now: () => clock,
    seed: 1,
    history: options.history ? { ordersPerAccount: options.history, fillsPerAccount: options.history } : {},
  });
  engine.addMarket({ pair: PAIR, rules: options.rules });
  const a = engine.createAccount({ name: 'a', makerRate: '0.001', takerRate: '0.002' }).id;
  const b = engine.createAccount({ name: 'b', makerRate: '0.001', takerRate: '0.002' }).id;
  for (const id of [a, b]) {
    engine.setBalance(id, 'USDT', '1000000');
    engine.setBalance(id, 'BTC', '10');
  }
  const txs: EngineTransaction[] = [];
  engine.subscribe((tx) => txs.push(tx));
  const place = (accountId: number, order: Omit<NewOrder, 'accountId' | 'pair'>): Order => {
    const r = engine.submitOrder({ accountId, pair: PAIR, ...order });
    if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r.rejection)}`);
    return r.value.order;
  };
  const balance = (accountId: number, asset: string) => {
    const b = engine.account(accountId)?.balances.get(asset);
    return { free: b?.free ?? 0, locked: b?.locked ?? 0 };
  };
  return {
    engine,
    a,
    b,
    txs,
    place,
    balance,
    tick: (ms = 1) => (clock += ms),
    market: () => engine.market(PAIR)!,
  };
}

/** 1 USDT and 1 BTC in engine units (8 decimals). */
export const USDT = 100_000_000;
export const BTC = 100_000_000;
