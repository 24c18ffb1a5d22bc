import type { Logger } from '../logger.js';
import { silentLogger } from '../logger.js';

export type Listener<E> = (event: E) => void | Promise<void>;
export type Unsubscribe = () => void;

/**
 * A synchronous, typed event emitter whose listeners cannot hurt it: a listener that throws (or
 * returns a promise that rejects) is logged, and the other listeners and the emitter carry on.
 * Listeners run in the order they subscribed; `onAny` listeners run after the typed ones.
 */
export class TypedEmitter<M extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof M, Listener<never>[]>();
  private anyListeners: Listener<M[keyof M]>[] = [];

  constructor(private readonly logger: Logger = silentLogger()) {}

  on<K extends keyof M>(type: K, listener: Listener<M[K]>): Unsubscribe {
    const list = (this.listeners.get(type) ?? []) as Listener<M[K]>[];
    this.listeners.set(type, [...list, listener] as Listener<never>[]);
    return () => this.off(type, listener);
  }

  once<K extends keyof M>(type: K, listener: Listener<M[K]>): Unsubscribe {
    const off = this.on(type, (event) => {
      off();
      return listener(event);
    });
    return off;
  }

  off<K extends keyof M>(type: K, listener: Listener<M[K]>): void {
    const list = (this.listeners.get(type) ?? []) as Listener<M[K]>[];
    this.listeners.set(
      type,
      list.filter((l) => l !== listener) as Listener<never>[],
    );
  }

  /** Every event, whatever its type. */
  onAny(listener: Listener<M[keyof M]>): Unsubscribe {
    this.anyListeners = [...this.anyListeners, listener];
    return () => {
      this.anyListeners = this.anyListeners.filter((l) => l !== listener);
    };
  }

  /** The first event of `type` for which `filter` holds. */
  waitFor<K extends keyof M>(type: K, filter: (event: M[K]) => boolean = () => true): Promise<M[K]> {
    return new Promise((resolve) => {
      const off = this.on(type, (event) => {
        if (!filter(event)) return;
        off();
        resolve(event);
      });
    });
  }

  listenerCount(type?: keyof M): number {
    if (type !== undefined) return (this.listeners.get(type) ?? []).length;
    let n = this.anyListeners.length;
    for (const list of this.listeners.values()) n += list.length;
    return n;
  }

  emit<K extends keyof M>(type: K, event: M[K]): void {
    // Copies: a listener that subscribes or unsubscribes during emit changes the next emit, not this one.
    const typed = [...((this.listeners.get(type) ?? []) as Listener<M[K]>[])];
    for (const listener of typed) this.call(listener, event, type);
    for (const listener of [...this.anyListeners]) this.call(listener, event, type);
  }

  private call<E>(listener: Listener<E>, event: E, type: keyof M): void {
    try {
      const result = listener(event);
      if (result instanceof Promise) {
        result.catch((err: unknown) => this.logger.error({ err, event: String(type) }, 'an event listener rejected'));
      }
    } catch (err) {
      this.logger.error({ err, event: String(type) }, 'an event listener threw; the other listeners still ran');
    }
  }
}
