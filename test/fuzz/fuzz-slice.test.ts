import { describe, expect, it } from 'vitest';
import { runConnectorFuzz } from '../../fuzz/connector.js';
import { runSimulatorFuzz } from '../../fuzz/simulator.js';

// A short seeded slice of `npm run fuzz`, so the suite keeps the fuzz harnesses running and the
// defects they found fixed. The full runs: `npm run fuzz:simulator -- --messages N --seed S`.

const ZERO_SIMULATOR = { crashes: 0, unhandledRejections: 0, unresponsive: 0, unanswered: 0, serverErrors: 0, heapGrowth: 0 };
const ZERO_CONNECTOR = { crashes: 0, unhandledRejections: 0, parserThrows: 0, stateThrows: 0, impossibleStates: 0, heapGrowth: 0 };

describe('fuzz slice', () => {
  it('the simulator survives 2,000 hostile client messages and keeps answering a well-behaved client', async () => {
    const result = await runSimulatorFuzz({ messages: 2_000, seed: 3, heapLimitMb: 256 });
    expect(result.examples).toEqual([]);
    expect(result.counts).toEqual(ZERO_SIMULATOR);
    const sent = ['rest', 'wsApi', 'streams', 'upgrades', 'flood'].reduce((sum, kind) => sum + Number(result.figures[kind] ?? 0), 0);
    expect(sent).toBe(2_000);
  }, 120_000);

  // Fails on this branch: the connector-side defects of issue 14 (non-finite and negative balances
  // from deltas, fills naming another exchange order id applied) are fixed on the connector-hostile
  // branch. Once it is merged this must pass: turn `it.fails` into `it`.
  it.fails('the connector parsers, balances, book and orders keep their invariants under 5,000 mutated messages', () => {
    const result = runConnectorFuzz({ messages: 5_000, seed: 1, heapLimitMb: 256 });
    expect(result.counts).toEqual(ZERO_CONNECTOR);
  });

  it('the connector slice exercises every parser and never crashes or throws from a parser', () => {
    const result = runConnectorFuzz({ messages: 5_000, seed: 1, heapLimitMb: 256 });
    expect(result.counts.crashes).toBe(0);
    expect(result.counts.unhandledRejections).toBe(0);
    expect(result.counts.parserThrows).toBe(0);
  });
});
