import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// What `import … from 'venuekit/simulator'` gives a user (tests import from src, never from dist).
import {
  demoCredentials,
  startSimulator,
  type AccountHandle,
  type FaultSpec,
  type OrderView,
  type SimulatorOptions,
} from '../../src/simulator/index.js';
import { TestClient } from './support/client.js';

const root = new URL('../../', import.meta.url);

describe('the simulator as a library (venuekit/simulator)', () => {
  it('the package exports ./simulator, built from src/simulator/index.ts', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { exports: Record<string, { types: string; import: string }> };
    expect(pkg.exports['./simulator']).toEqual({ types: './dist/simulator/index.d.ts', import: './dist/simulator/index.js' });
    const build = JSON.parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(new URL('src/simulator/index.ts', root))).toBe(true);
  });

  it("the README's example: start, the demo key of a seed, an account of one's own, the exchange's truth", async () => {
    const options: SimulatorOptions = { activity: false, seed: 7 };
    const sim = await startSimulator(options);
    try {
      expect(demoCredentials(7)).toEqual({ apiKey: sim.demo?.apiKey, apiSecret: sim.demo?.apiSecret });
      const bob: AccountHandle = sim.admin.createAccount({ balances: { USDT: '10000' } });
      const rest = new TestClient(sim.restUrl, bob.apiKey, bob.apiSecret);
      const placed = await rest.signed('POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000' });
      expect(placed.status).toBe(200);
      const orders: OrderView[] = sim.admin.orders(bob.accountId, { openOnly: true });
      expect(orders.map((o) => [o.orderId, o.price.toFixed(), o.status])).toEqual([[placed.body.orderId, '30000', 'NEW']]);
      expect(sim.admin.balances(bob.accountId).USDT?.locked.toFixed()).toBe('300');
      const slow: FaultSpec = { kind: 'latency', endpoint: 'account.status', ms: 1, times: 1 };
      expect(sim.admin.faults.inject(slow).active).toBe(true);
    } finally {
      await sim.close();
    }
  });
});
