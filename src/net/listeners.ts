import type { Logger } from '../core/logger.js';

/**
 * A minimal typed event emitter. A throwing listener is logged and skipped: one bad consumer must
 * never stop the others or the connection that feeds them.
 */
export class Listeners<Events extends { [K in keyof Events]: (...args: never[]) => void }> {
  private readonly map = new Map<keyof Events, Set<Events[keyof Events]>>();

  constructor(private readonly logger: Logger) {}

  on<K extends keyof Events>(event: K, listener: Events[K]): () => void {
    let set = this.map.get(event);
    if (!set) {
      set = new Set();
      this.map.set(event, set);
    }
    set.add(listener);
    return () => this.off(event, listener);
  }

  off<K extends keyof Events>(event: K, listener: Events[K]): void {
    this.map.get(event)?.delete(listener);
  }

  emit<K extends keyof Events>(event: K, ...args: Parameters<Events[K]>): void {
    const set = this.map.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<Events[K]>) => void)(...args);
      } catch (err) {
        this.logger.error({ err, event: String(event) }, 'event listener threw; skipped');
      }
    }
  }
}
