import type { BalanceSnapshot, Engine, EngineTransaction } from '../../engine/index.js';
import { NO_WEBSOCKET_FAULTS, type UserEventType, type WebSocketFaultHooks } from '../../faults/hooks.js';
import type { SimSocket } from '../../ws/socket.js';
import { accountPositionJson, balanceUpdateJson, executionReportJson } from './user-events.js';

/**
 * One account's user data stream on one WebSocket API connection. Events go out wrapped as
 * `{"subscriptionId":N,"event":{...}}`, through whatever delivery faults are armed (lost,
 * duplicated, delayed, reordered). `idle()` tells when everything handed to it has left for the
 * socket: no event delayed or held back, and nothing waiting in the connection's send buffer.
 */
export class UserSubscription {
  /** Delayed events and held-back batches not sent yet. */
  private pending = 0;
  private waiters: (() => void)[] = [];
  private held: string[] = [];
  private heldTimer: NodeJS.Timeout | null = null;
  active = true;

  constructor(
    readonly subscriptionId: number,
    readonly accountId: number,
    readonly socket: SimSocket,
    private readonly faults: WebSocketFaultHooks,
  ) {}

  deliver(type: UserEventType, eventJson: string): void {
    if (!this.active) return;
    const text = `{"subscriptionId":${this.subscriptionId},"event":${eventJson}}`;
    if (!this.faults.armed) {
      this.write(text);
      return;
    }
    const plan = this.faults.userEvent(this.accountId, type);
    if (plan.connection === 'drop-connection') return this.socket.drop();
    if (plan.connection === 'silence-connection') return this.socket.silence();
    if (!plan.deliver) return;
    const copies = Array.from({ length: 1 + plan.duplicates }, () => text);
    if (plan.reorderWindowMs > 0) return this.hold(copies, plan.reorderWindowMs);
    if (plan.delayMs > 0) {
      this.pending++;
      setTimeout(() => {
        for (const c of copies) this.write(c);
        this.settle();
      }, plan.delayMs).unref();
      return;
    }
    for (const c of copies) this.write(c);
  }

  /** Resolves once every event handed over so far has left for the socket (or was given up). */
  async idle(): Promise<void> {
    if (this.pending > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    // A frame is queued in order behind what is already buffered; the queue empties as the client reads.
    while (this.socket.isOpen && this.socket.ws.bufferedAmount > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  private write(text: string): void {
    // No per-message write callback: tracking each frame cost a third of the delivery rate.
    this.socket.send(text);
  }

  private settle(): void {
    if (--this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Keeps events for `windowMs`, then sends all of them in a shuffled order (never the original one). */
  private hold(copies: string[], windowMs: number): void {
    this.held.push(...copies);
    if (this.heldTimer !== null) return;
    this.pending++;
    this.heldTimer = setTimeout(() => {
      const held = this.held;
      this.held = [];
      this.heldTimer = null;
      let order = this.faults.shuffle([...held]);
      if (held.length > 1 && order.every((t, i) => t === held[i])) order = [...held.slice(1), held[0] as string];
      for (const t of order) this.write(t);
      this.settle();
    }, windowMs);
    this.heldTimer.unref();
  }
}

/**
 * Turns each engine transaction into the user data events of the accounts it touched: first the
 * executionReports in execution order, then balanceUpdate for deposits and withdrawals, then one
 * outboundAccountPosition per account with every asset the transaction changed.
 */
export class UserDataHub {
  private readonly byAccount = new Map<number, Set<UserSubscription>>();
  private readonly stop: () => void;

  constructor(
    private readonly engine: Engine,
    readonly faults: WebSocketFaultHooks = NO_WEBSOCKET_FAULTS,
  ) {
    this.stop = engine.subscribe((tx) => this.onTransaction(tx));
  }

  add(subscription: UserSubscription): void {
    let set = this.byAccount.get(subscription.accountId);
    if (set === undefined) this.byAccount.set(subscription.accountId, (set = new Set()));
    set.add(subscription);
  }

  remove(subscription: UserSubscription): void {
    subscription.active = false;
    const set = this.byAccount.get(subscription.accountId);
    if (set === undefined) return;
    set.delete(subscription);
    if (set.size === 0) this.byAccount.delete(subscription.accountId);
  }

  /** How many subscriptions the account has, over all connections. */
  subscriptions(accountId: number): number {
    return this.byAccount.get(accountId)?.size ?? 0;
  }

  /** Resolves once every event sent so far to the account's subscriptions has been written. */
  async idle(accountId: number): Promise<void> {
    await Promise.all([...(this.byAccount.get(accountId) ?? [])].map((s) => s.idle()));
  }

  close(): void {
    this.stop();
  }

  private onTransaction(tx: EngineTransaction): void {
    if (this.byAccount.size === 0) return;
    const market = tx.market;
    const precisionOf = (asset: string) => this.engine.assets.get(asset) ?? 8;
    if (market !== null) {
      for (const e of tx.orders) {
        const subs = this.byAccount.get(e.order.accountId);
        if (subs === undefined) continue;
        const json = executionReportJson(market, tx.time, e, precisionOf);
        for (const s of subs) s.deliver('executionReport', json);
      }
    }
    for (const t of tx.transfers) {
      const subs = this.byAccount.get(t.accountId);
      if (subs === undefined) continue;
      const json = balanceUpdateJson(tx.time, t);
      for (const s of subs) s.deliver('balanceUpdate', json);
    }
    // tx.balances is grouped by account: one position per run of the same account.
    const balances = tx.balances;
    for (let i = 0; i < balances.length; ) {
      const accountId = (balances[i] as BalanceSnapshot).accountId;
      let j = i + 1;
      while (j < balances.length && (balances[j] as BalanceSnapshot).accountId === accountId) j++;
      const subs = this.byAccount.get(accountId);
      if (subs !== undefined) {
        const json = accountPositionJson(tx.time, balances.slice(i, j));
        for (const s of subs) s.deliver('outboundAccountPosition', json);
      }
      i = j;
    }
  }
}
