import { describe, expect, it } from 'vitest';
import { historyOf, readHistory } from '../../src/connector/history.js';
import type { TrackingStore } from '../../src/core/persistence/tracking-store.js';

describe('history of a tracking store', () => {
  it('says so when the store keeps no history, rather than answering empty', () => {
    const bare = { connector: 'x', commit: () => ({ alreadyRecorded: new Set() }), trackingStates: () => ({}), loadOrder: () => undefined, findClientOrderId: () => undefined, latestClientOrderId: () => undefined, owedFillOrders: () => [], close: () => undefined } as TrackingStore;
    expect(historyOf(bare)).toBeUndefined();
    expect(() => readHistory(historyOf(bare))).toThrow(/keeps no history/);
  });
});
