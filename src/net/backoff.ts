/** Exponential backoff with jitter, shared by REST read retries and WebSocket reconnects. */
export interface BackoffOptions {
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** Upper bound of any delay. */
  maxDelayMs: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /**
   * Share of each delay that is random, 0..1. Default 0.5: the delay lies between half and all of
   * the exponential value, so many clients that lost the same server do not return in lockstep.
   */
  jitter?: number;
}

/** The delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const exponential = Math.min(options.maxDelayMs, options.initialDelayMs * factor ** Math.max(0, attempt));
  return Math.round(exponential * (1 - jitter + jitter * random()));
}
