import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp.js';
import { jsonSummary, runCli, startCli, type CliProcess } from './support/cli-child.js';

describe('venuekit start (npm start)', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const dataDir = () => {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    return tmp.path;
  };

  it('--duration 5: trades on the embedded simulator, stops by itself, cancels every bot order and prints the summary', async () => {
    // Keys in the environment change nothing: start always runs the embedded simulator. The default
    // log level: warnings would reach standard error (not a terminal), and a normal run has none.
    const dir = dataDir();
    const run = await runCli(['start', '--duration', '5', '--data-dir', dir, '--json-summary'], {
      env: { BINANCE_API_KEY: 'should-not-be-used', BINANCE_API_SECRET: 'x', VENUEKIT_LOG_LEVEL: undefined },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(/"level":/);
    expect(readFileSync(`${dir}/venuekit.log`, 'utf8')).toMatch(/"msg":"user stream subscribed/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^venue: embedded simulator http:\/\/127\.0\.0\.1:\d+ \(synthetic market, not real market data\)$/m);
    expect(run.stdout).toMatch(/\] created +BUY /);
    expect(run.stdout).toMatch(/\] status running: /);
    expect(run.stdout).toContain('stopped after');
    expect(run.stdout).toContain('(the --duration ran out)');
    const fills = Number(/^fills: (\d+)$/m.exec(run.stdout)?.[1]);
    expect(fills).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/^orders placed: \d+ \(cancelled \d+, failed \d+\)$/m); // a post-only quote the market moved into fails: that is not an error
    expect(run.stdout).toMatch(/^fees: .*(USDT|BTC)/m); // buys pay their fee in BTC, sells in USDT
    expect(run.stdout).toMatch(/^pnl \(USDT\): realized -?[\d.]+, unrealized -?[\d.]+, fees [\d.]+, net -?[\d.]+/m);
    expect(run.stdout).toMatch(/^bot orders still open on the exchange: 0$/m);

    const summary = jsonSummary(run.stdout);
    expect(summary.reason).toBe('duration');
    expect(summary).not.toHaveProperty('pnlPlaces'); // exact values only: display rounding stays out
    expect(summary.fills).toBe(fills);
    expect(summary.openOrdersOnExchange).toBe(0);
    expect(summary.endedOnStop).toBe(summary.cancelRequested);
    // The first fill comes well within the 15 s (it is usually under one).
    expect(summary.firstFillAfterMs).toBeLessThan(5_000);
  });

  it('Ctrl-C stops cleanly: orders cancelled and confirmed, summary, exit 0', async () => {
    const bot: CliProcess = await startCli(['start', '--data-dir', dataDir()]);
    await bot.waitForLine(/\] filled /);
    bot.child.kill('SIGINT');
    const { code } = await bot.exited;
    const out = bot.lines.join('\n');
    expect(code).toBe(0);
    expect(out).toContain('(Ctrl-C)');
    expect(out).toMatch(/^fills: [1-9]\d*$/m);
    expect(out).toMatch(/^bot orders still open on the exchange: 0$/m);
    expect(out).toMatch(/^open orders on stop: (\d+), ended \1 \(cancelled \d+, filled before the cancel \d+\)$/m);
  });

  it('refuses a bad --duration, a bad config and an unknown pair with a clear message, before any order', async () => {
    const bad = await runCli(['start', '--duration', 'soon']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("option '--duration <seconds>' argument 'soon' is invalid. must be a number of seconds above zero");
    const dir = dataDir();
    writeFileSync(`${dir}/bot.yaml`, 'marketMaking:\n  spread: 1.5\n');
    const config = await runCli(['start', '--config', `${dir}/bot.yaml`, '--data-dir', dir]);
    expect(config.code).toBe(2);
    expect(config.stderr).toBe(`venuekit: ${dir}/bot.yaml: marketMaking.spread: must be a decimal number above 0 and below 1 (such as "0.001"), got "1.5"\n`);
    expect(config.stdout).toBe('');
    writeFileSync(`${dir}/pair.yaml`, 'marketMaking:\n  tradingPair: DOGE-USDT\n');
    const pair = await runCli(['start', '--config', `${dir}/pair.yaml`, '--data-dir', dir]);
    expect(pair.code).toBe(2);
    expect(pair.stderr).toBe('venuekit: unknown pair DOGE-USDT: the exchange lists BTC-USDT, ETH-BTC, ETH-USDT\n');
    expect(pair.stdout).not.toMatch(/created/);
  });
});
