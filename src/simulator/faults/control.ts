import type { SimClock } from '../clock.js';
import type { SocketGroup } from '../ws/socket-group.js';
import type { FaultHandle, FaultRegistry } from './registry.js';
import type { FaultSpec } from './specs.js';

/** A WebSocket endpoint the admin can act on: its connections and its planned shutdown. */
export interface SocketEndpoint {
  readonly group: SocketGroup;
  shutdown(graceMs?: number): Promise<void>;
}

export type ConnectionTarget = 'streams' | 'ws-api' | 'all';

/**
 * Fault injection at run time (the admin handle's `faults`): standing faults that strike matching
 * requests, messages and flushes (`inject`), one-off actions on the open connections
 * (`disconnect`), and the exchange clock's offset.
 */
export class FaultControl {
  constructor(
    private readonly registry: FaultRegistry,
    private readonly endpoints: { streams: SocketEndpoint; wsApi: SocketEndpoint },
    private readonly clock: SimClock,
  ) {}

  /** Arms a fault; it strikes until cleared, used up (`times`) or expired (`durationMs`). */
  inject(spec: FaultSpec): FaultHandle {
    return this.registry.inject(spec);
  }

  /** The faults still armed. */
  list(): FaultHandle[] {
    return this.registry.list();
  }

  /** Disarms every fault (connections already half-open stay so until closed). */
  clear(): void {
    this.registry.clear();
  }

  /** Restarts the generator behind probabilities, jitter and shuffles. */
  reseed(seed: number): void {
    this.registry.reseed(seed);
  }

  /**
   * Acts on the open connections now: `drop` ends them without a close frame, `half-open` makes them
   * go silent without closing, `shutdown` sends serverShutdown and closes them cleanly (a planned
   * disconnect). Resolves with the number of connections affected.
   */
  async disconnect(target: ConnectionTarget = 'all', mode: 'drop' | 'half-open' | 'shutdown' = 'drop', graceMs = 0): Promise<number> {
    const chosen = target === 'all' ? [this.endpoints.streams, this.endpoints.wsApi] : [target === 'streams' ? this.endpoints.streams : this.endpoints.wsApi];
    let affected = 0;
    for (const endpoint of chosen) {
      const open = [...endpoint.group.sockets].filter((s) => s.isOpen);
      affected += open.length;
      if (mode === 'shutdown') await endpoint.shutdown(graceMs);
      else if (mode === 'drop') for (const s of open) s.drop();
      else for (const s of open) s.silence();
    }
    return affected;
  }

  /** Open connections of an endpoint (half-open ones included). */
  connections(target: ConnectionTarget = 'all'): number {
    const count = (e: SocketEndpoint) => [...e.group.sockets].filter((s) => s.state !== 'closed').length;
    if (target === 'streams') return count(this.endpoints.streams);
    if (target === 'ws-api') return count(this.endpoints.wsApi);
    return count(this.endpoints.streams) + count(this.endpoints.wsApi);
  }

  /** Puts the exchange clock `ms` ahead of (or, negative, behind) real time: serverTime and timestamp checks move together. */
  setClockOffset(ms: number): void {
    this.clock.offsetMs = ms;
  }
}
