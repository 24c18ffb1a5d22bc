/**
 * Where the WebSocket side of the simulator asks the fault registry what to do. Each question is
 * asked at the moment something is about to happen, so a fault injected at run time takes effect
 * on the next message. Without faults every answer is "go ahead".
 */

/** What to do with one message about to go to one connection. */
export type SendDecision = 'send' | 'drop-connection' | 'silence-connection';

/** What to do with a depth diff about to be sent on a stream: send it, hold it back (stall), or lose it (gap). */
export type FlushDecision = 'send' | 'stall' | 'gap';

/** The user data events a fault can pick out. */
export type UserEventType = 'executionReport' | 'outboundAccountPosition' | 'balanceUpdate' | 'eventStreamTerminated';

/** What happens to one user data event on its way to one subscription. */
export interface UserEventPlan {
  /** False: the event is lost. */
  deliver: boolean;
  /** Extra copies sent right after it. */
  duplicates: number;
  /** Sent this much later (0: now). */
  delayMs: number;
  /** Held with others for this long, then all are sent in a shuffled order (0: not reordered). */
  reorderWindowMs: number;
  /** The connection is dropped or silenced instead of sending. */
  connection: SendDecision;
}

export const PLAIN_DELIVERY: UserEventPlan = Object.freeze({ deliver: true, duplicates: 0, delayMs: 0, reorderWindowMs: 0, connection: 'send' as const });

export interface WebSocketFaultHooks {
  /** True while some fault might apply to WebSocket messages; when false the hooks below are skipped. */
  readonly armed: boolean;
  /** A market stream message (`btcusdt@trade`, ...) or a WebSocket API response (`ws-api`) about to be sent. */
  beforeSend(stream: string): SendDecision;
  /** A depth or partial-depth update of `stream` about to be sent to its subscribers. */
  depthFlush(stream: string): FlushDecision;
  /** A user data event of `accountId` about to go to one of its subscriptions. */
  userEvent(accountId: number, type: UserEventType): UserEventPlan;
  /** Draws a shuffle for reordered events (seeded, so a run replays). */
  shuffle<T>(items: T[]): T[];
}

export const NO_WEBSOCKET_FAULTS: WebSocketFaultHooks = {
  armed: false,
  beforeSend: () => 'send',
  depthFlush: () => 'send',
  userEvent: () => PLAIN_DELIVERY,
  shuffle: (items) => items,
};
