import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderEventKey, type OrderEvent } from '../../../src/core/events/order-events.js';
import { openTrackingStore, type SqliteTrackingStore } from '../../../src/core/persistence/sqlite-tracking-store.js';
import { OrderTracker } from '../../../src/core/tracker/order-tracker.js';
import { bundleChild } from '../../support/child-bundle.js';
import { runs } from '../../support/soak.js';
import { tempDir } from '../../support/tmp.js';
import { applyStep, seededRandom } from '../support/scenario.js';
import { crashSteps, crashTracker } from './fixtures/crash-scenario.js';

const CHILD_SOURCE = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
let CHILD = '';
const KILLS = Number(process.env.VENUEKIT_CRASH_KILLS ?? runs(20, 500));
// Children wait on fsync most of the time; a few at once keep the run short on two cores.
const CONCURRENCY = Number(process.env.CRASH_CONCURRENCY ?? 3);

interface Snapshot {
  orders: [string, unknown][];
  events: [string, unknown][];
}

function snapshot(store: SqliteTrackingStore): Snapshot {
  return {
    orders: store.listOrders().map((o) => [o.clientOrderId, store.loadOrder(o.clientOrderId)]),
    events: store.listEvents().map((e) => [e.key, e.data]),
  };
}

/**
 * The states a crash after `count` acknowledged steps may leave, replayed without a crash: the
 * state after those steps, then the state after each save of the next step. (Most steps save once;
 * a clock advance saves once per fill-barrier timeout it fires, and a kill may land between two.)
 */
function possibleStates(seed: number, count: number): Snapshot[] {
  const steps = crashSteps(seed);
  const { store, tracker, clock } = crashTracker(':memory:');
  for (let i = 0; i < count; i++) applyStep(tracker, clock, steps[i]!);
  const out = [snapshot(store)];
  const next = steps[count];
  if (next) {
    const commit = store.commit.bind(store);
    store.commit = (change) => {
      const result = commit(change);
      out.push(snapshot(store));
      return result;
    };
    applyStep(tracker, clock, next);
  }
  tracker.close();
  store.close();
  return out;
}

interface Killed {
  seed: number;
  path: string;
  lastAck: number;
  printed: Record<string, unknown>[];
  signal: NodeJS.Signals | null;
}

/** Runs the child until it has acknowledged about `target` steps, then kills it with SIGKILL. */
async function runAndKill(seed: number, path: string, target: number): Promise<Killed> {
  const child = spawn(process.execPath, [CHILD, path, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let acks = 0;
  let ready = false;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    ready ||= out.includes('READY\n');
    acks += chunk.split('ACK ').length - 1;
    const due = acks >= target || out.includes('DONE\n');
    if (ready && due && child.exitCode === null && !child.killed) child.kill('SIGKILL');
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (signal !== 'SIGKILL') throw new Error(`crash child ended by itself (${code}): ${err}`);
  // Only whole lines: the last one may have been cut by the kill.
  const lines = out.slice(0, out.lastIndexOf('\n') + 1).split('\n');
  const ackLines = lines.filter((l) => l.startsWith('ACK '));
  return {
    seed,
    path,
    signal,
    lastAck: ackLines.length === 0 ? -1 : Number(ackLines.at(-1)!.slice(4)),
    printed: lines.filter((l) => l.startsWith('EVENT ')).map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>),
  };
}

function verify(k: Killed): void {
  const store = openTrackingStore({ path: k.path, connector: 'crash' });
  const restored = snapshot(store);
  // Every event a listener saw is in the store, exactly as it was announced.
  const saved = new Map(restored.events);
  for (const event of k.printed) {
    expect(saved.get(orderEventKey(event as unknown as OrderEvent)), `event ${JSON.stringify(event)} missing from the store`).toEqual(event);
  }
  expect(new Set(k.printed.map((e) => orderEventKey(e as unknown as OrderEvent))).size).toBe(k.printed.length);
  // The store holds the state after the last acknowledged step, or after a save of the one being applied.
  const states = possibleStates(k.seed, k.lastAck + 1);
  if (!states.some((state) => isDeepStrictEqual(restored, state))) expect(restored).toEqual(states[0]);
  // And a tracker restarts from it.
  const tracker = new OrderTracker({ store });
  expect(tracker.restoreFromStore().skipped).toEqual([]);
  tracker.close();
  store.close();
}

describe('crash recovery with SIGKILL (real child processes, real SQLite file)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    dir = tempDir('venuekit-crash-');
    CHILD = await bundleChild(CHILD_SOURCE);
  });
  afterAll(() => dir.cleanup());

  it(`loses nothing that was announced, at ${KILLS} random kill points`, async () => {
    const random = seededRandom(Date.now() % 1_000_000);
    const jobs = Array.from({ length: KILLS }, (_, i) => ({ seed: Math.floor(random() * 1e9), target: Math.floor(random() * 200), i }));
    const outcomes: Killed[] = [];
    const worker = async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        const killed = await runAndKill(job.seed, join(dir.path, `crash-${job.i}.sqlite`), job.target);
        try {
          verify(killed);
        } catch (err) {
          throw new Error(`kill ${job.i} (seed ${job.seed}, killed after ACK ${killed.lastAck}): ${(err as Error).message}`, { cause: err });
        }
        outcomes.push(killed);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(outcomes).toHaveLength(KILLS);
    // The kills landed in the middle of the stream (not all after its end), and events were seen.
    expect(outcomes.some((o) => o.lastAck < crashSteps(o.seed).length - 1)).toBe(true);
    expect(outcomes.reduce((n, o) => n + o.printed.length, 0)).toBeGreaterThan(0);
  }, 600_000);
});
