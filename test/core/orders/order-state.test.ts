import { describe, expect, it } from 'vitest';
import { canTransition, classifyTransition, isTerminalState, nextStates, TERMINAL_STATES } from '../../../src/core/orders/order-state.js';
import { OrderState } from '../../../src/core/types.js';

const ALL = Object.values(OrderState);
const RANK: Record<OrderState, number> = {
  [OrderState.PENDING_CREATE]: 0,
  [OrderState.OPEN]: 1,
  [OrderState.PARTIALLY_FILLED]: 2,
  [OrderState.PENDING_CANCEL]: 3,
  [OrderState.CANCELED]: 4,
  [OrderState.FILLED]: 4,
  [OrderState.FAILED]: 4,
  [OrderState.EXPIRED]: 4,
};

describe('order state machine', () => {
  it('has exactly four terminal states, and they are absorbing', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['CANCELED', 'EXPIRED', 'FAILED', 'FILLED']);
    for (const t of TERMINAL_STATES) {
      expect(nextStates(t).size).toBe(0);
      for (const to of ALL) expect(canTransition(t, to)).toBe(false);
    }
  });

  it('never moves backwards', () => {
    for (const from of ALL) for (const to of nextStates(from)) expect(RANK[to]).toBeGreaterThan(RANK[from]);
    expect(canTransition(OrderState.PARTIALLY_FILLED, OrderState.OPEN)).toBe(false);
    expect(canTransition(OrderState.PENDING_CANCEL, OrderState.OPEN)).toBe(false);
  });

  it('lets every live state reach every end', () => {
    for (const from of ALL.filter((s) => !isTerminalState(s))) {
      for (const end of TERMINAL_STATES) expect(canTransition(from, end)).toBe(true);
    }
  });

  it('classifies reports', () => {
    expect(classifyTransition(OrderState.OPEN, OrderState.OPEN)).toBe('same');
    expect(classifyTransition(OrderState.OPEN, OrderState.FILLED)).toBe('allowed');
    expect(classifyTransition(OrderState.PARTIALLY_FILLED, OrderState.OPEN)).toBe('stale');
    expect(classifyTransition(OrderState.FILLED, OrderState.OPEN)).toBe('stale');
    expect(classifyTransition(OrderState.FILLED, OrderState.CANCELED)).toBe('conflict');
    expect(classifyTransition(OrderState.EXPIRED, OrderState.FAILED)).toBe('conflict');
  });
});
