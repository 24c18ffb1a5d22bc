import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('venuekit CLI', () => {
  it('prints its version (run from source, never from dist)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--version'], { encoding: 'utf8' });
    expect(out.trim()).toBe(pkg.version);
  });

  it('exits 2 on a mistake on the command line, as on its own usage errors; 0 for help', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
    const badOption = run('orderbook', 'BTC-USDT', '--depth', '0');
    expect(badOption.status).toBe(2);
    expect(badOption.stderr).toContain("error: option '--depth <n>' argument '0' is invalid. must be a whole number from 1 to 1000");
    const unknown = run('nonsense');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'nonsense'");
    const help = run('orderbook', '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: venuekit orderbook [options] <pair>');
  });
});
