import { Decimal } from '../../core/decimal.js';
import type { OrderEvent } from '../../core/events/order-events.js';
import { feeText } from './fee-text.js';
import type { ViewSnapshot } from './snapshot.js';

/** A decimal as short as it is exact: the exchange's zero padding dropped, never a digit of value. */
export function num(value: Decimal | string | undefined): string {
  if (value === undefined) return '-';
  return (typeof value === 'string' ? new Decimal(value) : value).toFixed();
}

/** A value rounded for reading (PnL), with its sign. */
export function money(value: Decimal, places = 4): string {
  return value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed();
}

/** `hh:mm:ss` of a duration. */
export function clockText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

const yes = (b: boolean) => (b ? 'yes' : 'NO');

function bookLines(s: ViewSnapshot, depth: number): string[] {
  const out = [`BOOK ${s.tradingPair}   market mid ${num(s.marketMid)}   bot quotes around ${num(s.quotedMid)}   (* = the bot's order)`];
  if (!s.book) return [...out, '  (synchronizing...)'];
  const own = new Set(s.orders.filter((o) => o.price).map((o) => `${o.side}|${o.price!.toFixed()}`));
  const rows: [string, string, string, string][] = [['bid amount', 'bid', 'ask', 'ask amount']];
  for (let i = 0; i < depth; i++) {
    const bid = s.book.bids[i];
    const ask = s.book.asks[i];
    const mark = (side: string, price: string | undefined) => (price !== undefined && own.has(`${side}|${num(price)}`) ? '*' : ' ');
    rows.push([
      bid ? num(bid.amount) : '',
      bid ? `${mark('BUY', bid.price)}${num(bid.price)}` : '',
      ask ? `${mark('SELL', ask.price)}${num(ask.price)}` : '',
      ask ? num(ask.amount) : '',
    ]);
  }
  const w = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) out.push(`  ${r[0].padStart(w[0]!)}  ${r[1].padStart(w[1]!)}  |  ${r[2].padEnd(w[2]!)}  ${r[3].padEnd(w[3]!)}`.trimEnd());
  return out;
}

function orderLines(s: ViewSnapshot): string[] {
  const out = [`OPEN ORDERS (${s.orders.length})`];
  if (s.orders.length === 0) out.push('  none');
  for (const o of s.orders) {
    const filled = o.executed.gt(0) ? `  filled ${num(o.executed)}` : '';
    out.push(`  ${o.side.padEnd(4)} ${num(o.amount)} @ ${num(o.price)}  ${o.state}${filled}  ${o.clientOrderId}  age ${((s.now - o.createdAt) / 1000).toFixed(1)}s`);
  }
  return out;
}

function balanceLines(s: ViewSnapshot): string[] {
  const out = ['BALANCES'];
  if (s.balances.length === 0) out.push('  (loading...)');
  const w = Math.max(0, ...s.balances.map((b) => b.asset.length));
  for (const b of s.balances) out.push(`  ${b.asset.padEnd(w)}  total ${num(b.total)}  available ${num(b.available)}`);
  return out;
}

function fillLines(s: ViewSnapshot, max: number): string[] {
  const out = [`RECENT FILLS (${Math.min(max, s.fills.length)} of ${s.counts.fills})`];
  if (s.fills.length === 0) out.push('  none yet');
  for (const f of s.fills.slice(0, max)) {
    const role = f.isMaker === undefined ? '' : f.isMaker ? '  maker' : '  taker';
    out.push(`  +${clockText(f.time - s.startedAt)}  ${f.side.padEnd(4)} ${num(f.amount)} @ ${num(f.price)}  fee ${f.fee}${role}  ${f.clientOrderId}`);
  }
  return out;
}

function pnlLines(s: ViewSnapshot): string[] {
  const p = s.pnl;
  const other = Object.entries(p.otherFees).map(([token, amount]) => ` + ${num(amount)} ${token}`).join('');
  const places = s.pnlPlaces;
  const entry = p.averageEntryPrice ? ` @ ${money(p.averageEntryPrice, places - 2)}` : '';
  return [
    `PNL (${p.quoteAsset}, marked at the market mid)`,
    `  realized ${money(p.realized, places)}   unrealized ${money(p.unrealized, places)}   fees ${money(p.fees, places)}${other}   net ${money(p.net, places)}`,
    `  position ${num(p.position)} ${p.baseAsset}${entry}   volume ${num(p.volumeBase)} ${p.baseAsset}`,
    `  orders placed ${s.counts.placed}   fills ${s.counts.fills}   cancelled ${s.counts.cancelled}   failed ${s.counts.failed}`,
  ];
}

function connectorLines(s: ViewSnapshot): string[] {
  const c = s.connector;
  const rates = c.rateLimits.map((r) => `${r.pool} ${r.used}/${r.limit}`).join('   ');
  return [
    `CONNECTOR   network ${c.network}   ready ${yes(c.ready)}`,
    `  ${c.status.map(([name, ok]) => `${name} ${yes(ok)}`).join('   ')}`,
    `  user stream ${c.userStreamSubscribed ? 'subscribed' : 'down (polling covers)'}   reconnects ${c.userStreamReconnects}   book resyncs ${c.bookResyncs}`,
    `  rate limits ${rates || '-'}${c.queuedRequests > 0 ? `   queued ${c.queuedRequests}` : ''}`,
  ];
}

export interface RenderOptions {
  /** Book levels per side. */
  readonly depth: number;
  readonly recentFills: number;
  /** Lines are cut to this many characters (the terminal's width). */
  readonly width?: number;
}

/** The terminal view: one frame as lines, a pure function of the snapshot. */
export function renderView(s: ViewSnapshot, options: RenderOptions): string[] {
  const lines = [
    `venuekit ${s.strategy} on ${s.tradingPair}   up ${clockText(s.now - s.startedAt)}   ${s.state}`,
    `venue: ${s.venue}`,
    `account: ${s.account}`,
    '',
    ...bookLines(s, options.depth),
    '',
    ...orderLines(s),
    '',
    ...balanceLines(s),
    '',
    ...fillLines(s, options.recentFills),
    '',
    ...pnlLines(s),
    '',
    ...connectorLines(s),
    ...(s.notes.length > 0 ? ['', ...s.notes.map((n) => `note: ${n}`)] : []),
    '',
    'Ctrl-C stops: cancels the bot\'s orders, waits for the exchange to confirm, prints a summary. Twice: exit at once.',
  ];
  const width = options.width;
  return width === undefined ? lines : lines.map((l) => (l.length > width ? l.slice(0, Math.max(0, width - 1)) + '…' : l));
}

/** Without a terminal: one status line every few seconds. */
export function renderStatusLine(s: ViewSnapshot): string {
  const ready = s.connector.ready ? 'ready' : `NOT READY (${s.connector.status.filter(([, ok]) => !ok).map(([n]) => n).join(', ')})`;
  const rates = s.connector.rateLimits.map((r) => `${r.pool} ${r.used}/${r.limit}`).join(' ');
  return (
    `[+${clockText(s.now - s.startedAt)}] status ${s.state}: mid ${num(s.marketMid)}, open orders ${s.orders.length}, ` +
    `placed ${s.counts.placed}, fills ${s.counts.fills}, position ${num(s.pnl.position)} ${s.pnl.baseAsset}, ` +
    `pnl net ${money(s.pnl.net, s.pnlPlaces)} ${s.pnl.quoteAsset} (realized ${money(s.pnl.realized, s.pnlPlaces)}, unrealized ${money(s.pnl.unrealized, s.pnlPlaces)}, fees ${money(s.pnl.fees, s.pnlPlaces)}), ` +
    `${ready}, user stream ${s.connector.userStreamSubscribed ? 'up' : 'down'}, reconnects ${s.connector.userStreamReconnects}, rate ${rates}`
  );
}

/** Without a terminal: one line per order event of the bot's. */
export function renderEventLine(event: OrderEvent, startedAt: number): string {
  const at = `[+${clockText(event.timestamp - startedAt)}]`;
  switch (event.type) {
    case 'OrderCreated':
      return `${at} created   ${event.side} ${num(event.amount)} ${event.tradingPair} @ ${num(event.price)} ${event.orderType} ${event.clientOrderId}`;
    case 'OrderFilled':
      return `${at} filled    ${event.side} ${num(event.amount)} ${event.tradingPair} @ ${num(event.price)} fee ${feeText(event.fee)}${event.isMaker === undefined ? '' : event.isMaker ? ' maker' : ' taker'} ${event.clientOrderId}`;
    case 'OrderCompleted':
      return `${at} completed ${event.side} ${num(event.executedAmountBase)} ${event.tradingPair} avg ${num(event.averagePrice)} ${event.clientOrderId}`;
    case 'OrderCancelled':
      return `${at} cancelled ${event.side} ${event.tradingPair} ${event.clientOrderId}${event.executedAmountBase.gt(0) ? ` (filled ${num(event.executedAmountBase)})` : ''}`;
    case 'OrderExpired':
      return `${at} expired   ${event.side} ${event.tradingPair} ${event.clientOrderId}`;
    case 'OrderFailed':
      return `${at} FAILED    ${event.side} ${event.tradingPair} ${event.clientOrderId}: ${event.errorType}: ${event.errorMessage}`;
  }
}
