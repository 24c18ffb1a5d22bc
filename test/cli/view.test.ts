import { describe, expect, it } from 'vitest';
import { Decimal, ZERO } from '../../src/core/decimal.js';
import type { OrderFilledEvent } from '../../src/core/events/order-events.js';
import { OrderState, OrderType, TradeType } from '../../src/core/types.js';
import { PnlTracker } from '../../src/strategy/pnl.js';
import { clockText, renderEventLine, renderStatusLine, renderView } from '../../src/cli/view/render.js';
import type { ViewSnapshot } from '../../src/cli/view/snapshot.js';
import { plainView, terminalView } from '../../src/cli/view/terminal.js';

const d = (s: string) => new Decimal(s);
const fee = { percent: ZERO, flatFees: [{ token: 'BTC', amount: d('0.000001') }], kind: 'deducted_from_returns' as const };

function snapshot(over: Partial<ViewSnapshot> = {}): ViewSnapshot {
  const pnl = new PnlTracker();
  pnl.apply({ tradingPair: 'BTC-USDT', side: TradeType.BUY, price: d('65000'), amount: d('0.001'), fee });
  return {
    now: 61_500,
    startedAt: 0,
    strategy: 'market-making',
    tradingPair: 'BTC-USDT',
    venue: 'embedded simulator (synthetic market, not real market data)',
    account: 'uid 1, SPOT',
    state: 'running',
    book: {
      bids: [{ price: '65000.00000000', amount: '0.00100000' }, { price: '64999.00000000', amount: '2.50000000' }],
      asks: [{ price: '65001.50000000', amount: '0.30000000' }],
    },
    marketMid: d('65000.25'),
    quotedMid: d('65000.2'),
    orders: [{ clientOrderId: 'vk-1', side: TradeType.BUY, price: d('65000'), amount: d('0.001'), executed: ZERO, state: OrderState.OPEN, createdAt: 60_000 }],
    balances: [{ asset: 'BTC', total: d('1.001'), available: d('1') }, { asset: 'USDT', total: d('1000'), available: d('935') }],
    fills: [{ time: 30_000, clientOrderId: 'vk-0', side: TradeType.BUY, price: d('65000'), amount: d('0.001'), fee: '0.000001 BTC', isMaker: true }],
    pnl: pnl.pair('BTC-USDT', d('65010')),
    pnlPlaces: 4,
    counts: { placed: 3, fills: 1, cancelled: 1, failed: 0 },
    connector: {
      network: 'CONNECTED',
      ready: true,
      status: [['symbolMap', true], ['orderBooks', true], ['balances', true], ['tradingRules', true], ['userStream', true]],
      userStreamSubscribed: true,
      userStreamReconnects: 2,
      bookResyncs: 1,
      rateLimits: [{ pool: 'REQUEST_WEIGHT', used: 120, limit: 6000 }, { pool: 'ORDERS_10S', used: 2, limit: 100 }],
      queuedRequests: 0,
    },
    notes: [],
    ...over,
  };
}

describe('terminal view', () => {
  it('shows the book with the bot’s own levels marked, orders, balances, fills, PnL and the connector', () => {
    const text = renderView(snapshot(), { depth: 3, recentFills: 5 }).join('\n');
    expect(text).toContain('venuekit market-making on BTC-USDT   up 00:01:01   running');
    expect(text).toContain('venue: embedded simulator (synthetic market, not real market data)');
    expect(text).toMatch(/0\.001\s+\*65000\s+\|\s+65001\.5\s+0\.3/);
    expect(text).toMatch(/2\.5\s+64999\s+\|/);
    expect(text).toContain('BUY  0.001 @ 65000  OPEN  vk-1  age 1.5s');
    expect(text).toContain('USDT  total 1000  available 935');
    expect(text).toContain('+00:00:30  BUY  0.001 @ 65000  fee 0.000001 BTC  maker  vk-0');
    expect(text).toContain('realized 0   unrealized 0.01   fees 0.065   net -0.055');
    expect(text).toContain('orders placed 3   fills 1   cancelled 1   failed 0');
    expect(text).toContain('symbolMap yes   orderBooks yes   balances yes   tradingRules yes   userStream yes');
    expect(text).toContain('user stream subscribed   reconnects 2   book resyncs 1');
    expect(text).toContain('rate limits REQUEST_WEIGHT 120/6000   ORDERS_10S 2/100');
  });

  it('says what is not ready, and cuts lines to the terminal width', () => {
    const s = snapshot({ book: undefined, connector: { ...snapshot().connector, ready: false, status: [['balances', false]], userStreamSubscribed: false }, notes: ['BUY: position at the limit'] });
    const lines = renderView(s, { depth: 3, recentFills: 5, width: 40 });
    expect(lines.every((l) => l.length <= 40)).toBe(true);
    const text = renderView(s, { depth: 3, recentFills: 5 }).join('\n');
    expect(text).toContain('(synchronizing...)');
    expect(text).toContain('ready NO');
    expect(text).toContain('balances NO');
    expect(text).toContain('user stream down (polling covers)');
    expect(text).toContain('note: BUY: position at the limit');
  });

  it('plain lines: a status line and one line per event', () => {
    expect(renderStatusLine(snapshot())).toBe(
      '[+00:01:01] status running: mid 65000.25, open orders 1, placed 3, fills 1, position 0.001 BTC, pnl net -0.055 USDT (realized 0, unrealized 0.01, fees 0.065), ready, user stream up, reconnects 2, rate REQUEST_WEIGHT 120/6000 ORDERS_10S 2/100',
    );
    const filled: OrderFilledEvent = {
      type: 'OrderFilled', timestamp: 5_000, clientOrderId: 'vk-1', tradingPair: 'BTC-USDT', orderType: OrderType.LIMIT_MAKER, side: TradeType.BUY,
      tradeId: '7', price: d('65000.10000000'), amount: d('0.00100000'), quoteAmount: d('65.0001'), fee, isMaker: true, fillTimestamp: 5_000,
      executedAmountBase: d('0.001'), overfilled: false,
    };
    expect(renderEventLine(filled, 0)).toBe('[+00:00:05] filled    BUY 0.001 BTC-USDT @ 65000.1 fee 0.000001 BTC maker vk-1');
    expect(clockText(3_725_000)).toBe('01:02:05');
  });

  it('shows a PnL in BTC with the places its price tick needs, not rounded away to 0', () => {
    const pnl = new PnlTracker();
    const ethFee = { percent: ZERO, flatFees: [{ token: 'BTC', amount: d('0.00000245') }], kind: 'deducted_from_returns' as const };
    pnl.apply({ tradingPair: 'ETH-BTC', side: TradeType.BUY, price: d('0.04901'), amount: d('0.05'), fee });
    pnl.apply({ tradingPair: 'ETH-BTC', side: TradeType.SELL, price: d('0.04907'), amount: d('0.05'), fee: ethFee });
    const s = snapshot({ tradingPair: 'ETH-BTC', pnl: pnl.pair('ETH-BTC', d('0.04905')), pnlPlaces: 7 });
    const text = renderView(s, { depth: 1, recentFills: 1 }).join('\n');
    // 0.05 × (0.04907 − 0.04901) = 0.000003 realized; fees 0.000001 + 0.00000245 BTC; 7 places, half to even
    expect(text).toContain('realized 0.000003   unrealized 0   fees 0.0000034   net -0.0000004');
    expect(text).toContain('position 0 ETH');
    expect(renderStatusLine(s)).toContain('pnl net -0.0000004 BTC (realized 0.000003, unrealized 0, fees 0.0000034)');
  });

  it('redraws in place on a terminal; prints a status line every statusEveryMs otherwise', () => {
    const out: string[] = [];
    const tty = terminalView({ write: (t: string) => out.push(t), columns: 200 }, { depth: 2, recentFills: 2 });
    tty.frame(snapshot());
    tty.message('stopping');
    tty.frame(snapshot());
    tty.close();
    expect(out[0]!.startsWith('\u001b[?25l\u001b[2J\u001b[H')).toBe(true);
    expect(out[1]!.startsWith('\u001b[H')).toBe(true);
    expect(out[1]).toContain('stopping');
    expect(out[2]).toBe('\u001b[?25h');

    // A terminal of 40 columns cuts each line; one that reports no size (0 columns) cuts nothing.
    for (const [columns, cut] of [[40, true], [0, false]] as const) {
      const frames: string[] = [];
      terminalView({ write: (t: string) => frames.push(t), columns }, { depth: 2, recentFills: 2 }).frame(snapshot());
      // the text between the escape sequences (each ESC [ ... letter) is what the terminal shows
      const shown = frames[0]!.split('\u001b').map((part, i) => (i === 0 ? part : part.replace(/^\[[0-9;?]*[A-Za-z]/, ''))).join('').split('\n').filter((l) => l.length > 0);
      expect(shown.some((l) => l.endsWith('…')), `columns ${columns}`).toBe(cut);
      expect(shown.every((l) => l.length > 1), `columns ${columns}`).toBe(true);
      if (cut) expect(Math.max(...shown.map((l) => l.length))).toBeLessThanOrEqual(columns);
    }

    const lines: string[] = [];
    const plain = plainView({ write: (t: string) => lines.push(t) }, 5_000);
    plain.frame(snapshot({ now: 1_000 }));
    plain.frame(snapshot({ now: 3_000 }));
    plain.frame(snapshot({ now: 6_000 }));
    expect(lines.length).toBe(2);
  });
});
