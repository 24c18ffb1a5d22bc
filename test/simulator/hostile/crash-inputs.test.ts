import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';

// Inputs that used to kill the simulator's process (issue 14): each must get an answer or lose only
// its own socket, and a well-behaved client must still be served afterwards.

let sim: Simulator;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  sim = await startSimulator({ activity: false, demoAccount: false, streams: { maxMessagesPerSecond: 0 } });
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  await sim.close();
});

/** Opens a socket and resolves with what happened first: the open, an error or a close. */
function openOutcome(url: string): Promise<{ ws: WebSocket; outcome: 'open' | 'error' | 'close' }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve({ ws, outcome: 'open' }));
    ws.once('error', () => resolve({ ws, outcome: 'error' }));
    ws.once('close', () => resolve({ ws, outcome: 'close' }));
  });
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    ws.once('message', (data: Buffer) => resolve(data.toString('utf8')));
    ws.once('close', () => reject(new Error('closed before answering')));
  });
}

async function healthy(): Promise<void> {
  const res = await fetch(`${sim.restUrl}/api/v3/ping`);
  expect(res.status).toBe(200);
  const { ws, outcome } = await openOutcome(`ws://127.0.0.1:${sim.port}/ws-api/v3`);
  expect(outcome).toBe('open');
  const answer = nextMessage(ws);
  ws.send(JSON.stringify({ id: 1, method: 'ping' }));
  expect(JSON.parse(await answer)).toMatchObject({ id: 1, status: 200 });
  ws.close();
  expect(uncaught).toEqual([]);
}

function nested(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

describe('the simulator survives malformed requests', () => {
  it('a malformed percent escape in a market-stream path leaves the server running', async () => {
    const paths = ['/ws/%', '/ws/%E0%A4%A', '/ws/btcusdt@trade/%zz', '/ws/%C0', '/ws/%%', '/ws/a%', '/stream?streams=%', '/stream?streams=btcusdt@trade/%E0'];
    for (const path of paths) {
      const { ws, outcome } = await openOutcome(`ws://127.0.0.1:${sim.port}${path}`);
      if (outcome === 'open') {
        // The connection lives and still answers its control messages.
        const answer = nextMessage(ws);
        ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 1 }));
        expect(JSON.parse(await answer)).toMatchObject({ id: 1 });
        ws.close();
      }
      await healthy();
    }
  });

  it('a WebSocket API frame nested thousands of levels deep is refused with an error frame', async () => {
    const { ws, outcome } = await openOutcome(`ws://127.0.0.1:${sim.port}/ws-api/v3`);
    expect(outcome).toBe('open');
    for (const depth of [5_000, 100_000]) {
      const answer = nextMessage(ws);
      ws.send(`{"id":7,"method":"order.place","params":{"symbol":${nested(depth)}}}`);
      const frame = JSON.parse(await answer) as { id: unknown; status: number; error: { code: number } };
      expect(frame.id).toBe(7);
      expect(frame.status).toBe(400);
      expect(frame.error.code).toBeLessThan(0);
    }
    ws.close();
    await healthy();
  });

  it('a market-stream control message nested deep gets an error, and the stream lives', async () => {
    const { ws, outcome } = await openOutcome(`ws://127.0.0.1:${sim.port}/ws`);
    expect(outcome).toBe('open');
    const answer = nextMessage(ws);
    ws.send(`{"method":"SUBSCRIBE","params":${nested(100_000)},"id":3}`);
    expect(JSON.parse(await answer)).toHaveProperty('error');
    ws.close();
    await healthy();
  });

  it('a REST query nested deep or badly escaped is refused with an error', async () => {
    const deep = encodeURIComponent(nested(2_000));
    for (const query of [`symbols=${deep}`, 'symbols=%', 'symbol=%E0%A4%A']) {
      const res = await fetch(`${sim.restUrl}/api/v3/ticker/price?${query}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { code: number }).code).toBeLessThan(0);
    }
    await healthy();
  });
});
