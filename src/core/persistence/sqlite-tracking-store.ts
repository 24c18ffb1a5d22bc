import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { Decimal } from '../decimal.js';
import { orderEventKey } from '../events/order-events.js';
import { parseJSONText } from '../json.js';
import type { InFlightOrderJSON } from '../orders/in-flight-order-json.js';
import { InFlightOrder } from '../orders/in-flight-order.js';
import { tradeUpdateFromJSON, tradeUpdateToJSON } from '../orders/trade-update-json.js';
import { migrate } from './migrations.js';
import type {
  CommitResult,
  EventHistoryRecord,
  FillHistoryRecord,
  HistoryQuery,
  OrderHistoryRecord,
  OwedFillsRecord,
  StoredOrder,
  StoredOwedOrder,
  TrackingChange,
  TrackingHistory,
  TrackingStatus,
  TrackingStore,
} from './tracking-store.js';

/** `./data/venuekit.sqlite` under the working directory. */
export function defaultTrackingStorePath(cwd: string = process.cwd()): string {
  return resolve(cwd, 'data', 'venuekit.sqlite');
}

export interface SqliteTrackingStoreOptions {
  /** A file path, or ':memory:'. Default: defaultTrackingStorePath(). Missing folders are created. */
  path?: string;
  /** Whose orders these are; one file can hold several connectors. Default 'default'. */
  connector?: string;
  /**
   * FULL (default) survives a power cut; NORMAL survives a crash or kill -9 of the process (the
   * write-ahead log is in the OS already) and is faster.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long a write waits for another connection's lock on the same file. Default 5000 ms. */
  busyTimeoutMs?: number;
}

interface OrderRow {
  data: string;
  tracking: TrackingStatus;
}

interface OwedColumns {
  reported: string | null;
  owedSince: number | null;
}

function owedOf(row: OwedColumns): OwedFillsRecord | undefined {
  if (row.owedSince === null || row.reported === null) return undefined;
  return { reportedExecuted: new Decimal(row.reported), since: row.owedSince };
}

/**
 * The tracking store on SQLite (better-sqlite3: synchronous, so a change is on disk before the
 * tracker announces it). WAL journal, versioned migrations (migrations.ts). Orders are kept as
 * their JSON without fills; fills have their own table (one row per trade id, so a duplicate is
 * impossible) and are joined back when an order is read. Announced events are kept with a unique
 * key each: that is the history the CLI reports from, and the last guard of exactly-once.
 *
 * Nothing here stores credentials: the tracker only hands over orders, fills and events, and
 * failure messages are scrubbed before they get here.
 */
export class SqliteTrackingStore implements TrackingStore, TrackingHistory {
  readonly connector: string;
  readonly path: string;
  private readonly db: Database;
  private readonly stmt: Record<
    | 'upsertOrder'
    | 'insertFill'
    | 'insertEvent'
    | 'orderByClientId'
    | 'fillsOf'
    | 'trackedOrders'
    | 'owedOrders'
    | 'clientIdByExchangeId'
    | 'latestWithPrefix',
    Statement
  >;
  private readonly commitTx: (change: TrackingChange) => Set<string>;

  constructor(options: SqliteTrackingStoreOptions = {}) {
    this.path = options.path ?? defaultTrackingStorePath();
    this.connector = options.connector ?? 'default';
    if (this.path !== ':memory:') mkdirSync(dirname(resolve(this.path)), { recursive: true });
    // The busy timeout comes first: switching a new file to WAL takes a lock another process may hold.
    this.db = new BetterSqlite3(this.path, { timeout: Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000)) });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      migrate(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
    const db = this.db;
    this.stmt = {
      upsertOrder: db.prepare(`
        INSERT INTO orders (connector, client_order_id, exchange_order_id, trading_pair, side, order_type, state, tracking,
                            creation_timestamp, last_update_timestamp, data, reported_executed, fills_owed_since)
        VALUES (@connector, @clientOrderId, @exchangeOrderId, @tradingPair, @side, @orderType, @state, @tracking,
                @creationTimestamp, @lastUpdateTimestamp, @data, @reported, @owedSince)
        ON CONFLICT (connector, client_order_id) DO UPDATE SET
          exchange_order_id = excluded.exchange_order_id, state = excluded.state, tracking = excluded.tracking,
          last_update_timestamp = excluded.last_update_timestamp, data = excluded.data,
          reported_executed = COALESCE(excluded.reported_executed, orders.reported_executed),
          fills_owed_since = CASE WHEN @owedKnown = 1 THEN excluded.fills_owed_since ELSE orders.fills_owed_since END`),
      insertFill: db.prepare(`
        INSERT OR IGNORE INTO fills (connector, client_order_id, trade_id, trading_pair, fill_timestamp, recorded_at, data)
        VALUES (?, ?, ?, ?, ?, ?, ?)`),
      insertEvent: db.prepare(`
        INSERT OR IGNORE INTO events (connector, event_key, type, client_order_id, timestamp, data) VALUES (?, ?, ?, ?, ?, ?)`),
      orderByClientId: db.prepare('SELECT data, tracking FROM orders WHERE connector = ? AND client_order_id = ?'),
      fillsOf: db.prepare('SELECT data FROM fills WHERE connector = ? AND client_order_id = ? ORDER BY trade_id'),
      trackedOrders: db.prepare(
        "SELECT client_order_id AS id, data, tracking FROM orders WHERE connector = ? AND tracking IN ('active', 'lost') ORDER BY creation_timestamp, client_order_id",
      ),
      owedOrders: db.prepare(`
        SELECT client_order_id AS id, data, tracking, reported_executed AS reported, fills_owed_since AS owedSince
        FROM orders WHERE connector = ? AND fills_owed_since IS NOT NULL ORDER BY fills_owed_since, client_order_id`),
      clientIdByExchangeId: db.prepare('SELECT client_order_id AS id FROM orders WHERE connector = ? AND exchange_order_id = ? LIMIT 1'),
      latestWithPrefix: db.prepare(
        'SELECT client_order_id AS id FROM orders WHERE connector = ? AND substr(client_order_id, 1, length(?)) = ? ORDER BY client_order_id DESC LIMIT 1',
      ),
    };
    this.commitTx = db.transaction((change: TrackingChange) => this.write(change));
  }

  commit(change: TrackingChange): CommitResult {
    return { alreadyRecorded: this.commitTx(change) };
  }

  private write(change: TrackingChange): Set<string> {
    for (const { order, tracking, owed } of change.orders) {
      this.stmt.upsertOrder.run({
        reported: owed ? owed.reportedExecuted.toString() : null,
        owedSince: owed ? owed.since : null,
        owedKnown: owed === undefined ? 0 : 1,
        connector: this.connector,
        clientOrderId: order.clientOrderId,
        exchangeOrderId: order.exchangeOrderId ?? null,
        tradingPair: order.tradingPair,
        side: order.tradeType,
        orderType: order.orderType,
        state: order.currentState,
        tracking,
        creationTimestamp: order.creationTimestamp,
        lastUpdateTimestamp: order.lastUpdateTimestamp,
        data: JSON.stringify(order.toJSON({ fills: false })),
      });
    }
    for (const fill of change.fills) {
      const json = tradeUpdateToJSON(fill);
      this.stmt.insertFill.run(this.connector, fill.clientOrderId, fill.tradeId, fill.tradingPair, fill.fillTimestamp, change.at, JSON.stringify(json));
    }
    const already = new Set<string>();
    for (const event of change.events) {
      const key = orderEventKey(event);
      const info = this.stmt.insertEvent.run(this.connector, key, event.type, event.clientOrderId, event.timestamp, JSON.stringify(event));
      if (info.changes === 0) already.add(key);
    }
    return already;
  }

  /** Order JSON from its row plus its fills; a row that is not JSON comes back as its text, for the reader to report. */
  private withFills(clientOrderId: string, data: string): unknown {
    let order: unknown;
    try {
      order = JSON.parse(data);
    } catch {
      return data;
    }
    const fills = (this.stmt.fillsOf.all(this.connector, clientOrderId) as { data: string }[]).map((r) => parseJSONText(r.data, 'fill'));
    const orderFills = Object.fromEntries(fills.map((f) => [(f as { tradeId: string }).tradeId, f]));
    return { ...(order as object), orderFills };
  }

  trackingStates(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const row of this.stmt.trackedOrders.all(this.connector) as (OrderRow & { id: string })[]) {
      out[row.id] = this.withFills(row.id, row.data);
    }
    return out;
  }

  owedFillOrders(): StoredOwedOrder[] {
    const rows = this.stmt.owedOrders.all(this.connector) as (OrderRow & OwedColumns & { id: string })[];
    return rows.flatMap((row) => {
      const owed = owedOf(row);
      return owed ? [{ clientOrderId: row.id, tracking: row.tracking, order: this.withFills(row.id, row.data), owed }] : [];
    });
  }

  loadOrder(clientOrderId: string): StoredOrder | undefined {
    const row = this.stmt.orderByClientId.get(this.connector, clientOrderId) as OrderRow | undefined;
    if (!row) return undefined;
    const order = this.withFills(clientOrderId, row.data);
    if (typeof order === 'string') parseJSONText(order, `saved order ${clientOrderId}`);
    return { order: order as InFlightOrderJSON, tracking: row.tracking };
  }

  findClientOrderId(exchangeOrderId: string): string | undefined {
    return (this.stmt.clientIdByExchangeId.get(this.connector, exchangeOrderId) as { id: string } | undefined)?.id;
  }

  latestClientOrderId(prefix: string): string | undefined {
    return (this.stmt.latestWithPrefix.get(this.connector, prefix, prefix) as { id: string } | undefined)?.id;
  }

  // ---- history ------------------------------------------------------------------------------------

  listOrders(query: HistoryQuery = {}): OrderHistoryRecord[] {
    const { where, params } = this.filter(query, 'creation_timestamp');
    const rows = this.db
      .prepare(
        `SELECT client_order_id AS id, data, tracking, reported_executed AS reported, fills_owed_since AS owedSince FROM orders WHERE ${where} ORDER BY creation_timestamp, client_order_id ${limit(query)}`,
      )
      .all(...params) as (OrderRow & OwedColumns & { id: string })[];
    return rows.map((row) => {
      const o = InFlightOrder.fromJSON(parseJSONText(row.data, `saved order ${row.id}`));
      const owed = owedOf(row);
      return {
        clientOrderId: o.clientOrderId,
        ...(o.exchangeOrderId !== undefined && { exchangeOrderId: o.exchangeOrderId }),
        tradingPair: o.tradingPair,
        side: o.tradeType,
        state: o.currentState,
        tracking: row.tracking,
        amount: o.amount,
        ...(o.price !== undefined && { price: o.price }),
        executedAmountBase: o.executedAmountBase,
        executedAmountQuote: o.executedAmountQuote,
        creationTimestamp: o.creationTimestamp,
        lastUpdateTimestamp: o.lastUpdateTimestamp,
        ...(owed && { fillsOwed: owed }),
      };
    });
  }

  listFills(query: HistoryQuery = {}): FillHistoryRecord[] {
    const { where, params } = this.filter(query, 'fill_timestamp');
    const rows = this.db
      .prepare(`SELECT client_order_id AS id, data, recorded_at AS recordedAt FROM fills WHERE ${where} ORDER BY fill_timestamp, trade_id ${limit(query)}`)
      .all(...params) as { id: string; data: string; recordedAt: number }[];
    return rows.map((r) => ({ clientOrderId: r.id, trade: tradeUpdateFromJSON(parseJSONText(r.data, 'saved fill')), recordedAt: r.recordedAt }));
  }

  listEvents(query: HistoryQuery & { afterSeq?: number } = {}): EventHistoryRecord[] {
    const { where, params } = this.filter({ ...query, tradingPair: undefined }, 'timestamp');
    const after = query.afterSeq === undefined ? '' : ' AND seq > ?';
    const rows = this.db
      .prepare(`SELECT seq, event_key AS key, type, client_order_id AS clientOrderId, timestamp, data FROM events WHERE ${where}${after} ORDER BY seq ${limit(query)}`)
      .all(...params, ...(query.afterSeq === undefined ? [] : [query.afterSeq])) as (Omit<EventHistoryRecord, 'data'> & { data: string })[];
    return rows.map((r) => ({ ...r, data: parseJSONText(r.data, 'saved event') as Record<string, unknown> }));
  }

  private filter(query: HistoryQuery, timeColumn: string): { where: string; params: unknown[] } {
    const clauses = ['connector = ?'];
    const params: unknown[] = [this.connector];
    if (query.clientOrderId !== undefined) {
      clauses.push('client_order_id = ?');
      params.push(query.clientOrderId);
    }
    if (query.tradingPair !== undefined) {
      clauses.push('trading_pair = ?');
      params.push(query.tradingPair);
    }
    if (query.since !== undefined) {
      clauses.push(`${timeColumn} >= ?`);
      params.push(query.since);
    }
    return { where: clauses.join(' AND '), params };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function limit(query: HistoryQuery): string {
  return query.limit === undefined ? '' : `LIMIT ${Math.max(0, Math.floor(query.limit))}`;
}

/** Opens (creating if needed) a tracking store. */
export function openTrackingStore(options: SqliteTrackingStoreOptions = {}): SqliteTrackingStore {
  return new SqliteTrackingStore(options);
}
