import { SeededRandom } from '../random.js';
import { PLAIN_DELIVERY, type FlushDecision, type SendDecision, type UserEventPlan, type UserEventType, type WebSocketFaultHooks } from './hooks.js';
import { checkSpec, REQUEST_KINDS, type FaultKind, type FaultSpec } from './specs.js';

/** An injected fault: how often it struck, whether it still can, and how to end it. */
export interface FaultHandle {
  readonly id: number;
  readonly spec: Readonly<FaultSpec>;
  /** Occasions it affected so far (requests, messages, flushes). */
  readonly hits: number;
  /** False once cleared, used up (`times`) or expired (`durationMs`). */
  readonly active: boolean;
  clear(): void;
}

class Rule implements FaultHandle {
  hits = 0;
  private cleared = false;
  private readonly expiresAt: number;

  constructor(
    readonly id: number,
    readonly spec: FaultSpec,
    private readonly registry: FaultRegistry,
  ) {
    this.expiresAt = spec.durationMs === undefined ? Infinity : Date.now() + spec.durationMs;
  }

  get active(): boolean {
    return !this.cleared && (this.spec.times === undefined || this.hits < this.spec.times) && Date.now() < this.expiresAt;
  }

  clear(): void {
    this.cleared = true;
    this.registry.forget(this);
  }
}

/** What a request looks like to request faults. */
export interface RequestOccasion {
  /** The WebSocket API method name of the endpoint (`order.place`). */
  readonly name: string;
  /** `POST /api/v3/order` for REST requests; null on the WebSocket API. */
  readonly rest: string | null;
  readonly accountId: number | null;
}

const WEBSOCKET_KINDS: ReadonlySet<FaultKind> = new Set(['disconnect', 'stall', 'gap', 'drop', 'duplicate', 'delay', 'reorder']);

/**
 * The injected faults and the seeded generator behind every random choice they make (which
 * occasions a `probability` picks, latency jitter, shuffles), so the same seed and the same
 * sequence of occasions replay the same faults. Each question is answered at the moment it arises;
 * a matching occasion counts as a hit and uses up one of the fault's `times`.
 */
export class FaultRegistry implements WebSocketFaultHooks {
  private rules: Rule[] = [];
  private nextId = 1;
  private random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  get armed(): boolean {
    return this.rules.some((r) => WEBSOCKET_KINDS.has(r.spec.kind));
  }

  inject(spec: FaultSpec): FaultHandle {
    checkSpec(spec);
    const rule = new Rule(this.nextId++, { ...spec }, this);
    this.rules.push(rule);
    return rule;
  }

  list(): FaultHandle[] {
    this.prune();
    return [...this.rules];
  }

  clear(): void {
    this.rules = [];
  }

  reseed(seed: number): void {
    this.random = new SeededRandom(seed);
  }

  forget(rule: Rule): void {
    this.rules = this.rules.filter((r) => r !== rule);
  }

  /** A uniform draw in [0, max), for latency jitter. */
  jitter(max: number): number {
    return max > 0 ? this.random.next() * max : 0;
  }

  /** The request faults that strike this request, in the order they were injected. */
  forRequest(occasion: RequestOccasion): FaultSpec[] {
    return this.strike((spec) => {
      if (!REQUEST_KINDS.has(spec.kind) || !('endpoint' in spec)) return false;
      if (isIncoming(spec)) return false;
      if (spec.accountId !== undefined && spec.accountId !== occasion.accountId) return false;
      return endpointMatches(spec.endpoint, occasion);
    });
  }

  /** Request faults that must be decided before the account is known (latency on the way in). */
  forIncoming(occasion: Omit<RequestOccasion, 'accountId'>): FaultSpec[] {
    return this.strike((spec) => {
      return isIncoming(spec) && 'endpoint' in spec && endpointMatches(spec.endpoint, occasion);
    });
  }

  beforeSend(stream: string): SendDecision {
    const hit = this.strike((spec) => spec.kind === 'disconnect' && streamMatches(spec.stream, stream), true)[0];
    if (hit === undefined || hit.kind !== 'disconnect') return 'send';
    return hit.mode === 'half-open' ? 'silence-connection' : 'drop-connection';
  }

  depthFlush(stream: string): FlushDecision {
    const hit = this.strike((spec) => (spec.kind === 'stall' || spec.kind === 'gap') && streamMatches(spec.stream, stream), true)[0];
    if (hit === undefined) return 'send';
    return hit.kind === 'gap' ? 'gap' : 'stall';
  }

  userEvent(accountId: number, type: UserEventType): UserEventPlan {
    const hits = this.strike((spec) => {
      if (!WEBSOCKET_KINDS.has(spec.kind) || !('stream' in spec) || spec.stream !== 'userData') return false;
      if (spec.accountId !== undefined && spec.accountId !== accountId) return false;
      return !('events' in spec) || spec.events === undefined || spec.events.includes(type);
    });
    if (hits.length === 0) return PLAIN_DELIVERY;
    const plan: UserEventPlan = { ...PLAIN_DELIVERY };
    for (const spec of hits) {
      switch (spec.kind) {
        case 'disconnect':
          plan.connection = spec.mode === 'half-open' ? 'silence-connection' : 'drop-connection';
          break;
        case 'drop':
          plan.deliver = false;
          break;
        case 'duplicate':
          plan.duplicates += spec.copies ?? 1;
          break;
        case 'delay':
          plan.delayMs += spec.ms;
          break;
        case 'reorder':
          plan.reorderWindowMs = Math.max(plan.reorderWindowMs, spec.windowMs ?? 50);
          break;
        default:
          break;
      }
    }
    return plan;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.random.int(0, i);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /** The active rules `matches` selects that the dice pick; each counts a hit. */
  private strike(matches: (spec: FaultSpec) => boolean, firstOnly = false): FaultSpec[] {
    if (this.rules.length === 0) return [];
    const out: FaultSpec[] = [];
    for (const rule of this.rules) {
      if (!rule.active || !matches(rule.spec)) continue;
      const p = rule.spec.probability ?? 1;
      if (p < 1 && !this.random.chance(p)) continue;
      rule.hits++;
      out.push(rule.spec);
      if (firstOnly) break;
    }
    this.prune();
    return out;
  }

  private prune(): void {
    if (this.rules.some((r) => !r.active)) this.rules = this.rules.filter((r) => r.active);
  }
}

/** Latency on the way in for everyone: decided before the request is authenticated (so its timestamp ages). */
function isIncoming(spec: FaultSpec): boolean {
  return spec.kind === 'latency' && (spec.phase ?? 'request') === 'request' && spec.accountId === undefined;
}

function endpointMatches(selector: string | readonly string[], occasion: Omit<RequestOccasion, 'accountId'>): boolean {
  const endpoints = typeof selector === 'string' ? [selector] : selector;
  return endpoints.some((e) => e === '*' || e === occasion.name || (occasion.rest !== null && e === occasion.rest));
}

/** `market` stands for every market stream; other names match themselves. */
function streamMatches(selector: string, stream: string): boolean {
  return selector === stream || (selector === 'market' && stream !== 'ws-api' && stream !== 'userData');
}
