import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';

/**
 * Waits for every named part to settle, but no longer than `timeoutMs`: a stop or close must
 * return whatever state a part is in (a stream host that never answers, a request that never
 * ends), or the network check loop that awaits it never runs again. A part still pending is
 * logged by name and left to finish on its own; its rejection, whenever it comes, is swallowed.
 * Resolves to the names of the parts that did not settle in time.
 */
export async function settleWithin(
  parts: Readonly<Record<string, Promise<unknown> | undefined>>,
  timeoutMs: number,
  { clock, logger, what }: { clock: Pick<Clock, 'schedule'>; logger: Logger; what: string },
): Promise<string[]> {
  const pending = new Set<string>();
  const settled = Object.entries(parts).map(([name, part]) => {
    if (part === undefined) return Promise.resolve();
    pending.add(name);
    return part.then(
      () => pending.delete(name),
      () => pending.delete(name),
    );
  });
  let cancel: (() => void) | undefined;
  const deadline = new Promise<void>((resolve) => {
    cancel = clock.schedule(timeoutMs, resolve);
  });
  await Promise.race([Promise.all(settled), deadline]);
  cancel?.();
  const late = [...pending];
  if (late.length > 0) logger.error({ parts: late, timeoutMs }, `${what}: parts did not finish in time and were left behind`);
  return late;
}
