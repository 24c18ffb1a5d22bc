import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { NetworkIterator, NetworkStatus } from '../../src/core/network-iterator.js';
import { waitFor } from '../support/wait.js';

/** A network whose check answers what the test says. */
class FakeNetwork extends NetworkIterator {
  answer: NetworkStatus | Error | 'hang' = NetworkStatus.CONNECTED;
  calls: string[] = [];
  checks = 0;
  failStart = false;

  override checkNetwork(): Promise<NetworkStatus> {
    this.checks++;
    const a = this.answer;
    if (a === 'hang') return new Promise(() => {});
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  }
  override async startNetwork(): Promise<void> {
    this.calls.push('start');
    if (this.failStart) throw new Error('cannot start');
  }
  override async stopNetwork(): Promise<void> {
    this.calls.push('stop');
  }
}

const flush = () => new Promise((r) => setImmediate(r));
let nets: FakeNetwork[] = [];
afterEach(async () => {
  for (const n of nets) await n.stop();
  nets = [];
});

function setup() {
  const clock = new ManualClock();
  const net = new FakeNetwork({ clock, checkNetworkIntervalMs: 100, checkNetworkTimeoutMs: 50, networkErrorWaitMs: 1_000 });
  nets.push(net);
  const statuses: NetworkStatus[] = [];
  net.onNetworkStatus((s) => statuses.push(s));
  return { clock, net, statuses };
}

/** Advances the clock and lets the loop run its promises. */
async function advance(clock: ManualClock, ms: number) {
  await flush();
  clock.advance(ms);
  await flush();
}

describe('NetworkIterator', () => {
  it('starts the network when connected and stops it when the network goes away', async () => {
    const { clock, net, statuses } = setup();
    expect(net.networkStatus).toBe(NetworkStatus.STOPPED);
    net.start();
    await waitFor(() => net.calls.length === 1, 'startNetwork');
    expect(net.networkStatus).toBe(NetworkStatus.CONNECTED);
    net.answer = NetworkStatus.NOT_CONNECTED;
    await advance(clock, 100);
    await waitFor(() => net.calls.length === 2, 'stopNetwork');
    expect(net.calls).toEqual(['start', 'stop']);
    net.answer = NetworkStatus.CONNECTED;
    await advance(clock, 100);
    await waitFor(() => net.calls.length === 3, 'startNetwork again');
    await net.stop();
    expect(net.calls).toEqual(['start', 'stop', 'start', 'stop']);
    expect(statuses).toEqual(['NOT_CONNECTED', 'CONNECTED', 'NOT_CONNECTED', 'CONNECTED', 'STOPPED']);
  });

  it('marks a slow check NOT_CONNECTED without tearing the network down', async () => {
    const { clock, net } = setup();
    net.start();
    await waitFor(() => net.networkStatus === NetworkStatus.CONNECTED, 'connected');
    net.answer = 'hang';
    await advance(clock, 100);
    await advance(clock, 50);
    await waitFor(() => net.networkStatus === NetworkStatus.NOT_CONNECTED, 'timeout');
    expect(net.calls).toEqual(['start']);
    net.answer = NetworkStatus.CONNECTED;
    await advance(clock, 100);
    await waitFor(() => net.networkStatus === NetworkStatus.CONNECTED, 'connected again');
    expect(net.calls).toEqual(['start']);
  });

  it('waits longer after a check that throws, and cleans up a failed start', async () => {
    const { clock, net } = setup();
    net.answer = new Error('ECONNREFUSED');
    net.start();
    await waitFor(() => net.checks === 1, 'first check');
    await advance(clock, 100);
    expect(net.checks).toBe(1);
    net.answer = NetworkStatus.CONNECTED;
    net.failStart = true;
    await advance(clock, 900);
    await waitFor(() => net.calls.length === 2, 'failed start cleaned up');
    expect(net.calls).toEqual(['start', 'stop']);
    expect(net.networkStatus).toBe(NetworkStatus.NOT_CONNECTED);
  });
});
