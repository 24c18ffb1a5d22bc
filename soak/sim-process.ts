/**
 * The chaos soak's exchange: a simulator in its own process, with the faults of a fault file read
 * by the same loader as `venuekit sim --faults FILE`. The harness talks to it over the IPC channel
 * of `fork()`: `freeze` disarms the faults, lifts the rate limits to Binance's and stops the
 * background market (so the last trader and the comparison see a still exchange), `truth` answers
 * the soak account's orders, fills and balances from the simulator's admin API.
 */
import { DEFAULT_LIMIT_SETTINGS, startSimulator } from '../src/simulator/index.js';
import { readFaultFile } from '../src/simulator/faults/file.js';

const [faultPath, seedArg] = process.argv.slice(2);
const seed = Number(seedArg ?? '1');
const file = faultPath ? readFaultFile(faultPath) : { faults: [] };
const sim = await startSimulator({
  seed,
  activity: true,
  history: { ordersPerAccount: 1_000_000, fillsPerAccount: 1_000_000 },
  ...('limits' in file && file.limits !== undefined && { limits: file.limits }),
  faultSeed: 'seed' in file && file.seed !== undefined ? file.seed : seed,
});
const account = sim.admin.createAccount({ name: 'soak', balances: { USDT: '5000000', BTC: '100', ETH: '1000' } });
for (const spec of file.faults) sim.admin.faults.inject(spec);

type Request = { id: number; type: 'freeze' | 'truth' | 'hits' };
const s = (d: { toFixed(): string }) => d.toFixed();
const label = (spec: Record<string, unknown>) => {
  const where = spec.endpoint ?? spec.stream;
  const how = spec.execute ?? spec.mode;
  return `${String(spec.kind)}(${Array.isArray(where) ? where.join('|') : String(where)}${how === undefined ? '' : ` ${String(how)}`})`;
};
const struck = () => sim.admin.faults.list().map((f) => ({ kind: label(f.spec as unknown as Record<string, unknown>), hits: f.hits }));

process.on('message', (message: Request) => {
  let body: unknown;
  if (message.type === 'freeze') {
    const hits = struck();
    sim.admin.faults.clear();
    sim.admin.limits.set({ ...DEFAULT_LIMIT_SETTINGS });
    sim.activity?.stop();
    body = { hits };
  } else if (message.type === 'hits') {
    body = struck();
  } else {
    const orders = sim.admin.orders(account.accountId).map((o) => ({
      pair: o.pair,
      orderId: String(o.orderId),
      clientOrderId: o.clientOrderId,
      side: o.side,
      type: o.type,
      status: o.status,
      executedQty: s(o.executedQty),
      cumulativeQuoteQty: s(o.cumulativeQuoteQty),
    }));
    const fills = sim.admin.fills(account.accountId).map((f) => ({
      pair: f.pair,
      tradeId: String(f.tradeId),
      orderId: String(f.orderId),
      price: s(f.price),
      qty: s(f.qty),
      quoteQty: s(f.quoteQty),
      commission: s(f.commission),
      commissionAsset: f.commissionAsset,
    }));
    const balances = Object.fromEntries(Object.entries(sim.admin.balances(account.accountId)).map(([asset, b]) => [asset, { free: s(b.free), locked: s(b.locked) }]));
    body = { orders, fills, balances };
  }
  process.send!({ id: message.id, body });
});

process.send!({ ready: { restUrl: sim.restUrl, wsUrl: sim.wsUrl, wsApiUrl: sim.wsApiUrl, apiKey: account.apiKey, apiSecret: account.apiSecret } });
process.on('disconnect', () => void sim.close().then(() => process.exit(0)));
