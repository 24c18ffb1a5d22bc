import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseFaultFile } from '../../src/simulator/faults/file.js';
import { tempDir } from '../support/tmp.js';
import { TestClient } from './support/client.js';

const MAIN = new URL('../../src/cli/main.ts', import.meta.url).pathname;

function sim(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', MAIN, 'sim', '--port', '0', '--no-activity', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, VENUEKIT_LOG_LEVEL: 'silent' },
  });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const reader = createInterface({ input: child.stdout! });
  return new Promise<string>((resolve, reject) => {
    reader.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sim exited with ${code} before printing`)));
  });
}

async function refusal(child: ChildProcess): Promise<{ code: number | null; stderr: string; stdout: string }> {
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr, stdout };
}

describe('venuekit sim --faults FILE', () => {
  let child: ChildProcess | undefined;
  const dir = tempDir();
  afterAll(() => dir.cleanup());
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('arms the YAML file\'s faults and rate limits before the ready line', async () => {
    const file = join(dir.path, 'faults.yaml');
    writeFileSync(
      file,
      [
        'seed: 5',
        'faults:',
        "  - { kind: server-error, endpoint: 'GET /api/v3/account', status: 503, times: 1 }",
        'limits:',
        '  rateLimits:',
        '    - { rateLimitType: REQUEST_WEIGHT, interval: SECOND, intervalNum: 1, limit: 500 }',
        '  banMs: 1000',
        '',
      ].join('\n'),
    );
    child = sim(['--json', '--faults', file]);
    const ready = JSON.parse(await firstLine(child)) as Record<string, string>;
    const client = new TestClient(ready.restUrl!, ready.apiKey, ready.apiSecret);
    expect((await client.signed('GET', '/api/v3/account')).status).toBe(503);
    expect((await client.signed('GET', '/api/v3/account')).status).toBe(200);
    const info = await client.get('/api/v3/exchangeInfo');
    expect(info.body.rateLimits).toEqual([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 1, limit: 500 }]);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });

  it('takes JSON as well', async () => {
    const file = join(dir.path, 'faults.json');
    writeFileSync(file, JSON.stringify({ faults: [{ kind: 'timeout', endpoint: 'account.status', execute: 'never', times: 1 }] }));
    child = sim(['--json', '--faults', file]);
    const ready = JSON.parse(await firstLine(child)) as Record<string, string>;
    const client = new TestClient(ready.restUrl!, ready.apiKey, ready.apiSecret);
    const first = await client.signed('GET', '/api/v3/account');
    expect([first.status, first.body.code]).toEqual([408, -1007]);
    expect((await client.signed('GET', '/api/v3/account')).status).toBe(200);
  });

  for (const [name, text, message] of [
    ['an unknown fault kind', 'faults:\n  - { kind: explode, endpoint: "*" }\n', /faults\.0\.kind: /],
    ['a field the kind does not have', 'faults:\n  - { kind: gap, stream: market, ms: 5 }\n', /faults\.0: .*ms/],
    ['a probability out of range', 'faults:\n  - { kind: drop, stream: userData, probability: 2 }\n', /faults\.0\.probability: /],
    ['an unknown top-level field', 'fault: []\n', /\(top level\): .*fault/],
    ['text that is not YAML', 'faults: [\n', /not valid YAML or JSON/],
  ] as const) {
    it(`refuses ${name} with the field named, exit 2, before listening`, async () => {
      const file = join(dir.path, 'bad.yaml');
      writeFileSync(file, text);
      child = sim(['--json', '--faults', file]);
      const { code, stderr, stdout } = await refusal(child);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^venuekit sim: --faults .*bad\.yaml: /);
      expect(stderr).toMatch(message);
    });
  }

  it('refuses a file it cannot read', async () => {
    child = sim(['--faults', join(dir.path, 'missing.yaml')]);
    const { code, stderr } = await refusal(child);
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing\.yaml: cannot be read: .*ENOENT/);
  });

  it('checks values the schema leaves to the simulator (an empty endpoint list)', () => {
    expect(() => parseFaultFile('faults:\n  - { kind: latency, endpoint: [], ms: 5 }\n', 'f.yaml')).toThrow(/f\.yaml: faults\.0\.endpoint/);
    expect(parseFaultFile('', 'empty.yaml')).toEqual({ faults: [] });
  });
});
