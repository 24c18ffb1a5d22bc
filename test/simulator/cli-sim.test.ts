import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

/** Starts `venuekit sim` as a child process and resolves with its first stdout line. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; first: string; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'sim', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VENUEKIT_LOG_LEVEL: 'silent' },
  });
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    reader.on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`sim exited with ${code} before printing`)));
  });
  return { child, first, lines };
}

describe('venuekit sim', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  for (const [name, args, signal] of [
    ['--json with activity, stopped by SIGTERM', ['--json', '--port', '0'], 'SIGTERM'],
    ['--json --no-activity --seed, stopped by SIGINT', ['--json', '--port', '0', '--no-activity', '--seed', '9'], 'SIGINT'],
  ] as const) {
    it(name, async () => {
      const started = await startCli([...args]);
      child = started.child;
      const ready = JSON.parse(started.first) as Record<string, string>;
      expect(Object.keys(ready).sort()).toEqual(['apiKey', 'apiSecret', 'restUrl', 'wsApiUrl', 'wsUrl']);
      const { restUrl, wsUrl, wsApiUrl, apiKey, apiSecret } = ready as Record<string, string>;
      expect(restUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const port = new URL(restUrl!).port;
      expect(wsUrl).toBe(`ws://127.0.0.1:${port}/ws`);
      expect(wsApiUrl).toBe(`ws://127.0.0.1:${port}/ws-api/v3`);

      // Books are two-sided and the demo account is funded as soon as the line is printed.
      const client = new TestClient(restUrl!, apiKey, apiSecret);
      for (const symbol of ['BTCUSDT', 'ETHUSDT', 'ETHBTC']) {
        const depth = await client.get('/api/v3/depth', { symbol, limit: 5 });
        expect(depth.body.bids.length).toBeGreaterThan(0);
        expect(depth.body.asks.length).toBeGreaterThan(0);
      }
      const account = await client.signed('GET', '/api/v3/account');
      const free = Object.fromEntries(account.body.balances.map((b: { asset: string; free: string }) => [b.asset, Number(b.free)]));
      expect(free.USDT).toBeGreaterThanOrEqual(100_000);
      expect(free.BTC).toBeGreaterThanOrEqual(100_000);
      expect(free.ETH).toBeGreaterThan(0);

      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(started.lines).toHaveLength(1);
    });
  }

  it('refuses a bad port', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', MAIN, 'sim', '--port', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = bad;
    const [code] = (await once(bad, 'exit')) as [number | null];
    expect(code).not.toBe(0);
  });

  it('says why when it cannot listen on --host, and exits 1', async () => {
    // 192.0.2.1 (TEST-NET-1) is no address of this machine: the bind fails at once, nothing is sent.
    const bad = spawn(process.execPath, ['--import', 'tsx', MAIN, 'sim', '--host', '192.0.2.1', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = bad;
    let stderr = '';
    bad.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(bad, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toMatch(/^venuekit sim: cannot listen on 192\.0\.2\.1 port 0: .*EADDRNOTAVAIL/m);
  });
});
