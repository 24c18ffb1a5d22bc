import type { Database } from 'better-sqlite3';

/**
 * The tracking store's schema, one migration per version, applied in order inside a transaction
 * each. The version lives in SQLite's `user_version`. Never edit a migration that has shipped: add
 * the next one.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'orders, fills and announced events',
    sql: `
      CREATE TABLE orders (
        connector TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        exchange_order_id TEXT,
        trading_pair TEXT NOT NULL,
        side TEXT NOT NULL,
        order_type TEXT NOT NULL,
        state TEXT NOT NULL,
        tracking TEXT NOT NULL CHECK (tracking IN ('active', 'lost', 'done')),
        creation_timestamp REAL NOT NULL,
        last_update_timestamp REAL NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (connector, client_order_id)
      );
      CREATE INDEX orders_by_tracking ON orders (connector, tracking);
      CREATE INDEX orders_by_exchange_id ON orders (connector, exchange_order_id);
      CREATE INDEX orders_by_creation ON orders (connector, creation_timestamp);

      CREATE TABLE fills (
        connector TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        trading_pair TEXT NOT NULL,
        fill_timestamp REAL NOT NULL,
        recorded_at REAL NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (connector, client_order_id, trade_id)
      );
      CREATE INDEX fills_by_time ON fills (connector, fill_timestamp);

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        connector TEXT NOT NULL,
        event_key TEXT NOT NULL,
        type TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        timestamp REAL NOT NULL,
        data TEXT NOT NULL,
        UNIQUE (connector, event_key)
      );
      CREATE INDEX events_by_order ON events (connector, client_order_id);
    `,
  },
  {
    version: 2,
    description: "owed fills: the exchange's reported executed amount and since when the order's fills are incomplete",
    // Columns, not the order JSON: a restart finds the orders owed fills with one indexed query,
    // and the history shows them without parsing every order.
    sql: `
      ALTER TABLE orders ADD COLUMN reported_executed TEXT;
      ALTER TABLE orders ADD COLUMN fills_owed_since REAL;
      CREATE INDEX orders_owing_fills ON orders (connector) WHERE fills_owed_since IS NOT NULL;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaVersionError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`the tracking store's schema is version ${found}, newer than this venuekit reads (${supported}): upgrade venuekit`);
    this.name = 'SchemaVersionError';
  }
}

/**
 * Brings the database to SCHEMA_VERSION; returns the versions applied. Each migration re-reads the
 * version inside an IMMEDIATE transaction, so processes opening a new file at the same moment apply
 * each migration once (the others wait on the write lock, then find it done).
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > latest) throw new SchemaVersionError(version(), latest);
  const applied: number[] = [];
  for (const m of migrations) {
    const ran = db
      .transaction(() => {
        if (version() >= m.version) return false;
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(m.version);
  }
  return applied;
}
