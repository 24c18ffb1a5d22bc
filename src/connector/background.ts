import type { Logger } from '../core/logger.js';

/**
 * Tasks the connector starts and nobody awaits (a create after `buy` returned, a cancel after
 * `cancel` returned, a fill fetch): a failure is logged, never an unhandled rejection, and `settle`
 * lets `close` wait for them.
 */
export class BackgroundTasks {
  private readonly tasks = new Set<Promise<unknown>>();

  constructor(private readonly logger: Logger) {}

  run(task: Promise<unknown>): void {
    const tracked = task.catch((err: unknown) => this.logger.error({ err }, 'a background task failed'));
    this.tasks.add(tracked);
    void tracked.finally(() => this.tasks.delete(tracked));
  }

  get size(): number {
    return this.tasks.size;
  }

  async settle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}
