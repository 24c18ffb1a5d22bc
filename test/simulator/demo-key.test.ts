import { describe, expect, it } from 'vitest';
import { demoCredentials, startSimulator } from '../../src/simulator/index.js';

describe('demoCredentials', () => {
  it('is the demo account key of a simulator started with the same seed', async () => {
    for (const seed of [1, 42]) {
      const sim = await startSimulator({ seed, activity: false });
      try {
        expect(demoCredentials(seed)).toEqual({ apiKey: sim.demo!.apiKey, apiSecret: sim.demo!.apiSecret });
      } finally {
        await sim.close();
      }
    }
  });
});
