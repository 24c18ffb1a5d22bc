import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';
import { runCli, startSimChild, type SimChild } from './support/cli-child.js';

/**
 * `venuekit forget ID` against a `venuekit sim` in its own process: refused while the exchange
 * lists the order open; once the exchange forgot it (the simulator killed and a fresh one started
 * on the same port), the order's tracking ends, recorded in the store, and `cancel` no longer finds
 * it open.
 */
describe('venuekit forget', () => {
  const tmp = tempDir();
  const sims: SimChild[] = [];
  afterAll(async () => {
    for (const sim of sims) await sim.stop();
    tmp.cleanup();
  });

  it('refuses an open order; ends the tracking of one the exchange no longer knows', async () => {
    const first = await startSimChild(['--no-activity']);
    sims.push(first);
    const port = new URL(first.restUrl).port;
    const cli = (...args: string[]) => runCli([...args, '--exchange-url', first.restUrl, '--data-dir', tmp.path]);

    const buy = await cli('buy', 'BTC-USDT', '0.001', '60000');
    expect(buy.code, buy.stderr).toBe(0);
    const [, clientId] = /^(vk-\S+): BUY/.exec(buy.stdout) ?? [];
    expect(clientId).toBeDefined();

    const refused = await cli('forget', clientId!);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`the exchange lists order ${clientId} as open`);

    first.process.child.kill('SIGKILL');
    await first.process.exited;
    const second = await startSimChild(['--no-activity', '--port', port]);
    sims.push(second);
    expect(second.restUrl).toBe(first.restUrl);

    const forgot = await cli('forget', clientId!);
    expect(forgot.stderr).toBe('');
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toMatch(new RegExp(`^${clientId}: no longer tracked \\(FAILED\\)$`));

    const [again, status, history] = await Promise.all([cli('forget', clientId!), cli('status'), cli('history')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toBe(`venuekit: order ${clientId} is not tracked: it ended FAILED\n`);
    expect(status.stdout).toContain('tracked orders: 0 active, 0 lost');
    expect(history.stdout).toMatch(new RegExp(`${clientId} .*FAILED`));
  }, 90_000);
});
