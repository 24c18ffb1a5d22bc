/** Why the bot stops. */
export type StopReason = 'duration' | 'interrupted' | 'terminated';

export interface StopWatch {
  /** Resolves with the first reason to stop. */
  readonly stopped: Promise<StopReason>;
  /** Removes the signal handlers and the timer. */
  dispose(): void;
}

export interface StopWatchOptions {
  /** Stop by itself after this long, exactly as Ctrl-C would. */
  durationMs?: number;
  /** A second Ctrl-C (or SIGTERM) while stopping: leave at once. */
  onSecondSignal: (signal: NodeJS.Signals) => void;
  /** Where signals come from; `process` by default. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * The first SIGINT or SIGTERM (or the end of `durationMs`) asks for a clean stop; a second signal
 * calls `onSecondSignal`, for when the clean stop takes too long for the person at the keyboard.
 */
export function watchForStop(options: StopWatchOptions): StopWatch {
  const signals = options.signals ?? process;
  let resolveStop!: (reason: StopReason) => void;
  const stopped = new Promise<StopReason>((resolve) => (resolveStop = resolve));
  let stopping = false;
  const request = (reason: StopReason) => {
    if (stopping) return;
    stopping = true;
    resolveStop(reason);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) options.onSecondSignal(signal);
    else request(signal === 'SIGINT' ? 'interrupted' : 'terminated');
  };
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  const timer = options.durationMs === undefined ? undefined : setTimeout(() => request('duration'), options.durationMs);
  return {
    stopped,
    dispose() {
      signals.off('SIGINT', onSignal);
      signals.off('SIGTERM', onSignal);
      if (timer) clearTimeout(timer);
    },
  };
}
