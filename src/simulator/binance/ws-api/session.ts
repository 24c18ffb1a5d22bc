import { BinanceError } from '../errors.js';
import type { Json } from '../format.js';
import type { Route } from '../routes.js';
import type { SimSocket } from '../../ws/socket.js';
import { requireAuth } from '../trading.js';
import { UserSubscription, type UserDataHub } from './user-data.js';
import { eventStreamTerminatedJson } from './user-events.js';

const MAX_ACTIVE = 1000;
const MAX_LIFETIME_IDS = 65535;

const subscriptionActive = () => new BinanceError(-2035, 'User Data Stream subscription already active.');
const subscriptionInactive = () => new BinanceError(-2036, 'User Data Stream subscription not active.');
const tooManySubscriptions = () => new BinanceError(-2042, 'Maximum subscription ID reached for this connection.');

/**
 * One WebSocket API connection: its user data subscriptions (ids from 0, one per account) and the
 * session methods that manage them, expressed as routes so they go through the same rate limits and
 * faults as every other method.
 */
export class WsApiSession {
  readonly subscriptions = new Map<number, UserSubscription>();
  readonly routes: ReadonlyMap<string, Route>;
  private nextId = 0;

  constructor(
    readonly socket: SimSocket,
    private readonly hub: UserDataHub,
    private readonly now: () => number,
    shared: ReadonlyMap<string, Route>,
    /** Whether answers carry `rateLimits` unless a request says otherwise (`returnRateLimits` in the URL). */
    readonly returnRateLimits: boolean,
  ) {
    const routes = new Map(shared);
    for (const r of this.sessionRoutes()) routes.set(r.name, r);
    this.routes = routes;
  }

  /** Ends every subscription without notice (the connection is gone). */
  closed(): void {
    for (const s of this.subscriptions.values()) this.hub.remove(s);
    this.subscriptions.clear();
  }

  private subscribe(accountId: number): Json {
    for (const s of this.subscriptions.values()) if (s.accountId === accountId) throw subscriptionActive();
    if (this.subscriptions.size >= MAX_ACTIVE || this.nextId >= MAX_LIFETIME_IDS) throw tooManySubscriptions();
    const subscription = new UserSubscription(this.nextId++, accountId, this.socket, this.hub.faults);
    this.subscriptions.set(subscription.subscriptionId, subscription);
    this.hub.add(subscription);
    return { subscriptionId: subscription.subscriptionId };
  }

  private unsubscribe(id: number | undefined): Json {
    const ending = id === undefined ? [...this.subscriptions.values()] : [this.subscriptions.get(id)];
    if (ending.some((s) => s === undefined)) throw subscriptionInactive();
    for (const s of ending as UserSubscription[]) {
      s.deliver('eventStreamTerminated', eventStreamTerminatedJson(this.now()));
      this.hub.remove(s);
      this.subscriptions.delete(s.subscriptionId);
    }
    return {};
  }

  private sessionRoutes(): Route[] {
    const base = { method: 'GET' as const, weight: () => 2, placesOrder: false };
    return [
      {
        ...base,
        path: 'ws-api:userDataStream.subscribe.signature',
        name: 'userDataStream.subscribe.signature',
        security: 'USER_STREAM',
        operation: (_ctx, params, auth) => {
          params.assertAllRead();
          return this.subscribe(requireAuth(auth).account.id);
        },
      },
      {
        ...base,
        path: 'ws-api:userDataStream.unsubscribe',
        name: 'userDataStream.unsubscribe',
        security: 'NONE',
        operation: (_ctx, params) => {
          const id = params.integer('subscriptionId', { min: 0 });
          params.assertAllRead();
          return this.unsubscribe(id);
        },
      },
      {
        ...base,
        path: 'ws-api:session.subscriptions',
        name: 'session.subscriptions',
        security: 'NONE',
        operation: (_ctx, params) => {
          params.assertAllRead();
          return [...this.subscriptions.keys()].map((subscriptionId) => ({ subscriptionId }));
        },
      },
    ];
  }
}
