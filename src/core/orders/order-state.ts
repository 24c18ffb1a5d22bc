import { OrderState } from '../types.js';

/**
 * The order state machine. Every state change of an order goes through this table; anything not in
 * it is refused. Terminal states are absorbing (Hummingbot let a cached FILLED order take a later
 * CANCELED and announce a second end), and there are no backward moves: a REST poll that answers
 * OPEN after the WebSocket already said PARTIALLY_FILLED is stale news, not a new state.
 *
 * PENDING_CANCEL only records that a cancel was asked for: it may still end in any terminal state
 * (the cancel can lose a race against the last fill, or the exchange can expire the order first).
 * Fills are not states: they are applied to an order in any state, terminal ones included.
 */
const TRANSITIONS: Readonly<Record<OrderState, ReadonlySet<OrderState>>> = {
  [OrderState.PENDING_CREATE]: new Set([
    OrderState.OPEN,
    OrderState.PARTIALLY_FILLED,
    OrderState.PENDING_CANCEL,
    OrderState.FILLED,
    OrderState.CANCELED,
    OrderState.FAILED,
    OrderState.EXPIRED,
  ]),
  [OrderState.OPEN]: new Set([
    OrderState.PARTIALLY_FILLED,
    OrderState.PENDING_CANCEL,
    OrderState.FILLED,
    OrderState.CANCELED,
    OrderState.FAILED,
    OrderState.EXPIRED,
  ]),
  [OrderState.PARTIALLY_FILLED]: new Set([
    OrderState.PENDING_CANCEL,
    OrderState.FILLED,
    OrderState.CANCELED,
    OrderState.FAILED,
    OrderState.EXPIRED,
  ]),
  [OrderState.PENDING_CANCEL]: new Set([OrderState.FILLED, OrderState.CANCELED, OrderState.FAILED, OrderState.EXPIRED]),
  [OrderState.CANCELED]: new Set(),
  [OrderState.FILLED]: new Set(),
  [OrderState.FAILED]: new Set(),
  [OrderState.EXPIRED]: new Set(),
};

export const TERMINAL_STATES: ReadonlySet<OrderState> = new Set([
  OrderState.FILLED,
  OrderState.CANCELED,
  OrderState.FAILED,
  OrderState.EXPIRED,
]);

export function isTerminalState(state: OrderState): boolean {
  return TERMINAL_STATES.has(state);
}

/** The states that may follow `from`, for documentation and tests. */
export function nextStates(from: OrderState): ReadonlySet<OrderState> {
  return TRANSITIONS[from];
}

export function canTransition(from: OrderState, to: OrderState): boolean {
  return TRANSITIONS[from].has(to);
}

/**
 * How a reported state relates to the current one:
 * - `same`: nothing to change;
 * - `allowed`: a legal move forward;
 * - `stale`: an older state arriving late (normal when REST and WebSocket race), or a live state
 *   reported for an order that already ended;
 * - `conflict`: a different end for an order that already ended: the exchange contradicts itself.
 */
export type TransitionKind = 'same' | 'allowed' | 'stale' | 'conflict';

export function classifyTransition(from: OrderState, to: OrderState): TransitionKind {
  if (from === to) return 'same';
  if (canTransition(from, to)) return 'allowed';
  if (isTerminalState(from) && isTerminalState(to)) return 'conflict';
  return 'stale';
}
