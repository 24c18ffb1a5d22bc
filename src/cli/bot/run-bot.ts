import { randomBytes } from 'node:crypto';
import type { Logger } from '../../core/logger.js';
import type { SqliteTrackingStore } from '../../core/persistence/sqlite-tracking-store.js';
import type { BinanceExchange } from '../../exchanges/binance/exchange.js';
import { startSimulator, type Simulator } from '../../simulator/index.js';
import { MarketMakingStrategy } from '../../strategy/market-making/market-maker.js';
import type { BotSettings } from '../config/schema.js';
import { assertReachable, createBotExchange, describeAccount, knownPair, openVenueStore, waitUntilReady } from '../venue/connect.js';
import { embeddedVenue, type Venue } from '../venue/venue.js';
import { plainView, terminalView, type ViewOutput, type ViewStream } from '../view/terminal.js';
import { BotSession } from './session.js';
import { watchForStop, type StopReason } from './shutdown.js';
import { renderSummary, summaryJson, type BotSummary } from './summary.js';

export interface RunBotOptions {
  readonly settings: BotSettings;
  /** Where to trade; undefined runs the embedded simulator in this process. */
  readonly venue: Venue | undefined;
  readonly dataDir: string;
  /** Stop by itself after this long, as Ctrl-C does. */
  readonly durationMs?: number;
  readonly out: ViewStream;
  /** Redraw the view in place (a terminal), or print plain lines. */
  readonly tty: boolean;
  /** Print the summary as one JSON line too, last. */
  readonly jsonSummary: boolean;
  readonly logger: Logger;
  /** Where the log goes, to say so. */
  readonly logFile?: string;
  /** How long the connector may take to become ready. Default 30 s. */
  readonly readyTimeoutMs?: number;
  /** A second Ctrl-C while stopping. Default: exit at once with code 130. */
  readonly onSecondSignal?: () => void;
}

/** Exit codes of `start` and `run`. */
export const EXIT = { ok: 0, failed: 1, usage: 2, ordersLeftOpen: 3, forced: 130 } as const;

interface Running {
  sim?: Simulator;
  store?: SqliteTrackingStore;
  exchange?: BinanceExchange;
}

/** Stops and closes what is running, in order: the connector, then its store, then the simulator. */
async function release(r: Running): Promise<void> {
  const { exchange, store, sim } = r;
  r.exchange = undefined;
  r.store = undefined;
  r.sim = undefined;
  await exchange?.stop().catch(() => undefined);
  await exchange?.close().catch(() => undefined);
  store?.close();
  await sim?.close().catch(() => undefined);
}

/**
 * Runs the market maker until Ctrl-C, SIGTERM or the duration: the embedded simulator when no venue
 * is given, the connector, the strategy and the view; then a clean stop (strategy stopped, the
 * bot's orders cancelled and confirmed within `bot.stopTimeoutMs`, state saved) and the summary.
 * Resolves with the exit code.
 */
export async function runBot(options: RunBotOptions): Promise<number> {
  const { settings, out, logger } = options;
  const write = (line: string) => out.write(`${line}\n`);
  const pair = settings.marketMaking.tradingPair;
  const running: Running = {};
  const forceExit = options.onSecondSignal ?? (() => {
    out.write('\nsecond Ctrl-C: leaving now. Orders may still be open on the exchange; the tracking store has them and the next run takes them back.\n');
    process.exit(EXIT.forced);
  });
  // Signals are watched from the start: a Ctrl-C while connecting stops as cleanly as one later.
  const stopWatch = watchForStop({ ...(options.durationMs !== undefined && { durationMs: options.durationMs }), onSecondSignal: forceExit });
  let view: ViewOutput | undefined;
  try {
    let venue = options.venue;
    if (!venue) {
      const { seed, activity } = settings.simulator;
      running.sim = await startSimulator({ seed, activity, logger });
      venue = embeddedVenue(running.sim, `${new Date().toISOString()}-${randomBytes(3).toString('hex')}`);
    }
    write(`venuekit ${settings.strategy} on ${pair}`);
    write(`venue: ${venue.label}`);
    const store = openVenueStore(venue, options.dataDir);
    running.store = store;
    // The pair's book is tracked once the exchange is known to list it.
    running.exchange = createBotExchange(venue, { settings, dataDir: options.dataDir, tradingPairs: [], logger, store });
    const exchange = running.exchange;
    await assertReachable(exchange, venue);
    const account = await describeAccount(exchange, venue);
    write(`account: ${account}`);
    const restored = exchange.inFlightOrders.size;
    write(`tracking store: ${store.path}${restored > 0 ? ` (took back ${restored} open orders of an earlier run)` : ''}`);
    if (options.logFile) write(`log: ${options.logFile}`);

    exchange.start();
    const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
    const connected = async () => {
      await waitUntilReady(exchange, readyTimeoutMs);
      knownPair(exchange, pair);
      await exchange.addTradingPair(pair);
      await waitUntilReady(exchange, readyTimeoutMs);
    };
    const stoppedEarly = await Promise.race([connected().then(() => undefined), stopWatch.stopped]);
    if (stoppedEarly) {
      write(`stopped (${stoppedEarly}) before the connector was ready`);
      return EXIT.ok;
    }

    const strategy = new MarketMakingStrategy(settings.marketMaking, { tickIntervalMs: settings.bot.tickIntervalMs, logger });
    const session = new BotSession(exchange, strategy, venue.label, account, settings.view.recentFills, Date.now());
    view = options.tty ? terminalView(out, settings.view) : plainView(out, settings.view.statusEveryMs);
    const shown = view;
    exchange.events.onAny((event) => {
      session.record(event);
      shown.event(event, session.startedAt);
    });
    session.state = 'running';
    await strategy.start(exchange);
    const redraw = () => shown.frame(session.snapshot(Date.now(), settings.view.depth));
    redraw();
    const frames = setInterval(redraw, settings.view.refreshMs);

    const reason = await stopWatch.stopped;
    const stopStarted = Date.now();
    const open = strategy.activeOrders.length;
    session.state = `stopping (${reason}): cancelling ${open} open order${open === 1 ? '' : 's'}; Ctrl-C again to leave at once`;
    shown.message(session.state);
    redraw();
    await strategy.stop();
    const results = await exchange.cancelAll(settings.bot.stopTimeoutMs);
    const prefix = exchange.connector.clientOrderIdRules.prefix;
    const openOnExchange = await exchange
      .getOpenOrders()
      .then((orders) => orders.filter((o) => o.tradingPair === pair && o.clientOrderId.startsWith(prefix)).length)
      .catch((err: unknown) => {
        logger.warn({ err }, 'could not ask the exchange for open orders after the stop');
        return undefined;
      });
    session.state = 'stopped';
    clearInterval(frames);
    redraw();
    view.close();

    const summary: BotSummary = {
      reason,
      venue: venue.label,
      tradingPair: pair,
      runtimeMs: stopStarted - session.startedAt,
      firstFillAfterMs: session.firstFillAt === undefined ? undefined : session.firstFillAt - session.startedAt,
      ordersPlaced: session.totals.placed,
      fills: session.totals.fills,
      cancelled: session.totals.cancelled,
      failed: session.totals.failed,
      fees: Object.fromEntries([...session.fees].map(([token, amount]) => [token, amount.toFixed()])),
      pnl: session.pnl.pair(pair, session.markPrice()),
      pnlPlaces: session.pnlPlaces,
      cancelRequested: results.length,
      cancelConfirmed: results.filter((r) => r.success).length,
      // A cancel that lost the race to a fill fails, yet the order has ended: count it as ended.
      endedOnStop: results.filter((r) => r.success || exchange.orderTracker.fetchOrder(r.orderId)?.isDone === true).length,
      openOrdersOnExchange: openOnExchange,
      store: store.path,
    };
    await release(running);
    write('');
    for (const line of renderSummary(summary)) write(line);
    if (options.jsonSummary) write(summaryJson(summary));
    return openOnExchange === 0 ? EXIT.ok : EXIT.ordersLeftOpen;
  } finally {
    view?.close();
    stopWatch.dispose();
    await release(running);
  }
}

export type { StopReason };
