import type { IncomingMessage } from 'node:http';
import type { Engine, EngineTransaction, Market, Trade } from '../../engine/index.js';
import { NO_WEBSOCKET_FAULTS, type WebSocketFaultHooks } from '../../faults/hooks.js';
import { SocketGroup } from '../../ws/socket-group.js';
import type { SimSocket, SocketOptions } from '../../ws/socket.js';
import type { BinanceServer } from '../server.js';
import type { SymbolDirectory } from '../symbols.js';
import { handleControl } from './control.js';
import { parseStreamName, type Cadence } from './names.js';
import { aggTradeJson, bookTickerJson, depthUpdateJson, partialDepthJson, serverShutdownJson, tradeJson, type Top } from './payloads.js';
import { StreamClient, Topic } from './topic.js';

export interface MarketStreamOptions {
  /** Cadence of `<s>@depth` and `<s>@depth<N>`, in ms (Binance: 1000). */
  depthMs: number;
  /** Cadence of `<s>@depth@100ms` and `<s>@depth<N>@100ms`, in ms (Binance: 100). */
  fastDepthMs: number;
  /** Streams one connection may hold (Binance: 1024). */
  maxStreamsPerConnection: number;
  /** Incoming frames per second (JSON messages and pings) above which a connection is closed (Binance: 5); 0: no limit. */
  maxMessagesPerSecond: number;
}

export const DEFAULT_STREAM_OPTIONS: MarketStreamOptions = { depthMs: 1000, fastDepthMs: 100, maxStreamsPerConnection: 1024, maxMessagesPerSecond: 5 };

/**
 * Binance's market streams on the simulator's port: `/ws`, `/ws/<stream>[/<stream>…]` (other path
 * segments, such as ccxt's `/ws/0`, are ignored) and `/stream?streams=a/b` with the `{stream,data}`
 * wrapper. Every event is a projection of the engine's transactions: trades and book tickers as
 * they happen, depth diffs gathered per stream and sent on their cadence, so each diff starts where
 * the previous one ended and the first one a subscriber gets joins the REST snapshot's ids.
 */
export class MarketStreams {
  readonly options: MarketStreamOptions;
  readonly group: SocketGroup;
  private readonly topics = new Map<string, Topic>();
  private readonly clients = new Map<SimSocket, StreamClient>();
  private readonly byMarket = new Map<Market, Set<Topic>>();
  private readonly cadenced: Record<Cadence, Set<Topic>> = { slow: new Set(), fast: new Set() };
  private readonly timers: NodeJS.Timeout[];
  private readonly unsubscribeEngine: () => void;

  constructor(
    server: BinanceServer,
    private readonly engine: Engine,
    private readonly symbols: SymbolDirectory,
    private readonly now: () => number,
    socketOptions: SocketOptions,
    options: Partial<MarketStreamOptions> = {},
    private readonly faults: WebSocketFaultHooks = NO_WEBSOCKET_FAULTS,
  ) {
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...options };
    this.group = new SocketGroup(
      server,
      (path) => path === '/ws' || path.startsWith('/ws/') || path === '/stream',
      socketOptions,
      (socket, request) => this.connected(socket, request),
    );
    this.unsubscribeEngine = this.engine.subscribe((tx) => this.onTransaction(tx));
    this.timers = [
      setInterval(() => this.flush('slow'), this.options.depthMs),
      setInterval(() => this.flush('fast'), this.options.fastDepthMs),
    ];
    for (const t of this.timers) t.unref();
  }

  /** Names of the streams that have at least one subscriber. */
  activeStreams(): string[] {
    return [...this.topics.keys()];
  }

  /** Sends every pending depth diff now, as if the cadence timers had fired (for tests and benchmarks). */
  flushAll(): void {
    this.flush('fast');
    this.flush('slow');
  }

  /** serverShutdown to every connection, then close them (a planned disconnect). */
  shutdown(graceMs = 0): Promise<void> {
    return this.group.shutdown((socket) => serverShutdownJson(this.now(), this.clientOf(socket)?.combined ?? false), graceMs);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.unsubscribeEngine();
    await this.shutdown();
    await this.group.close();
  }

  // ---- connections ---------------------------------------------------------------------------

  private clientOf(socket: SimSocket): StreamClient | undefined {
    return this.clients.get(socket);
  }

  private connected(socket: SimSocket, request: IncomingMessage): void {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const combined = url.pathname === '/stream';
    const client = new StreamClient(socket, combined);
    this.clients.set(socket, client);
    const names = combined ? (url.searchParams.get('streams') ?? '').split('/') : url.pathname.split('/').slice(2);
    for (const name of names) {
      const stream = parseStreamName(decodedName(name), this.symbols);
      if (stream !== undefined && client.topics.size < this.options.maxStreamsPerConnection) this.join(client, stream.name);
    }
    const control = {
      subscribe: (list: readonly string[]) => this.subscribe(client, list),
      unsubscribe: (list: readonly string[]) => {
        for (const name of list) this.leave(client, name);
      },
      list: () => [...client.topics].map((t) => t.name),
      get combined() {
        return client.combined;
      },
      set combined(value: boolean) {
        client.combined = value;
      },
    };
    socket.start({
      message: (text) => socket.send(handleControl(text, control)),
      frame: () => this.countFrame(client),
      closed: () => {
        for (const topic of [...client.topics]) this.leave(client, topic.name);
        this.clients.delete(socket);
      },
    });
  }

  private countFrame(client: StreamClient): void {
    const limit = this.options.maxMessagesPerSecond;
    if (limit <= 0) return;
    const second = Math.floor(Date.now() / 1000);
    if (second !== client.frameWindow) {
      client.frameWindow = second;
      client.framesInWindow = 0;
    }
    if (++client.framesInWindow > limit) client.socket.close(1008, 'too many messages');
  }

  private subscribe(client: StreamClient, names: readonly string[]): { ok: true } | { ok: false; error: string } {
    for (const name of names) {
      if (parseStreamName(name, this.symbols) === undefined) return { ok: false, error: `unknown stream ${JSON.stringify(name)}` };
    }
    const fresh = new Set(names.filter((n) => ![...client.topics].some((t) => t.name === n)));
    if (client.topics.size + fresh.size > this.options.maxStreamsPerConnection) {
      return { ok: false, error: `too many streams (at most ${this.options.maxStreamsPerConnection} per connection)` };
    }
    for (const name of fresh) this.join(client, name);
    return { ok: true };
  }

  private join(client: StreamClient, name: string): void {
    let topic = this.topics.get(name);
    if (topic === undefined) {
      const stream = parseStreamName(name, this.symbols);
      if (stream === undefined) return;
      topic = new Topic(stream);
      this.topics.set(name, topic);
      let forMarket = this.byMarket.get(stream.market);
      if (forMarket === undefined) this.byMarket.set(stream.market, (forMarket = new Set()));
      forMarket.add(topic);
      if (stream.kind === 'depth' || stream.kind === 'partialDepth') this.cadenced[stream.cadence].add(topic);
    }
    topic.subscribers.add(client);
    client.topics.add(topic);
  }

  private leave(client: StreamClient, name: string): void {
    const topic = this.topics.get(name);
    if (topic === undefined || !topic.subscribers.delete(client)) return;
    client.topics.delete(topic);
    if (topic.subscribers.size > 0) return;
    // Nobody listens any more: a later subscriber starts from a fresh window, as Binance allows.
    this.topics.delete(name);
    this.byMarket.get(topic.stream.market)?.delete(topic);
    this.cadenced[topic.stream.cadence].delete(topic);
  }

  // ---- events --------------------------------------------------------------------------------

  private onTransaction(tx: EngineTransaction): void {
    const market = tx.market;
    if (market === null || this.topics.size === 0) return;
    const topics = this.byMarket.get(market);
    if (topics === undefined) return;
    for (const topic of topics) {
      switch (topic.stream.kind) {
        case 'depth':
          if (tx.book !== null) topic.window?.add(tx.book);
          break;
        case 'trade':
          for (const t of tx.trades) this.publish(topic, tradeJson(market, tx.time, t));
          break;
        case 'aggTrade':
          for (const group of byAggregate(tx.trades)) this.publish(topic, aggTradeJson(market, tx.time, group));
          break;
        case 'bookTicker':
          if (tx.book !== null) this.bookTicker(topic, market, tx.book.lastUpdateId);
          break;
        case 'partialDepth':
          break;
      }
    }
  }

  private bookTicker(topic: Topic, market: Market, updateId: number): void {
    const bid = market.book.bids.best();
    const ask = market.book.asks.best();
    const top: Top = { bidPrice: bid?.price ?? 0, bidLots: bid?.lots ?? 0, askPrice: ask?.price ?? 0, askLots: ask?.lots ?? 0 };
    const last = topic.lastTop;
    if (last !== null && last.bidPrice === top.bidPrice && last.bidLots === top.bidLots && last.askPrice === top.askPrice && last.askLots === top.askLots) return;
    topic.lastTop = top;
    this.publish(topic, bookTickerJson(market, updateId, top));
  }

  private flush(cadence: Cadence): void {
    const topics = this.cadenced[cadence];
    if (topics.size === 0) return;
    const now = this.now();
    for (const topic of topics) {
      const market = topic.stream.market;
      if (topic.window !== null) {
        if (topic.window.isEmpty) continue;
        const decision = this.faults.armed ? this.faults.depthFlush(topic.name) : 'send';
        if (decision === 'stall') continue;
        if (decision === 'gap') {
          topic.window.clear();
          continue;
        }
        const w = topic.window.take();
        this.publish(topic, depthUpdateJson(market, now, w.first, w.last, w.bids, w.asks));
      } else if (market.updateId !== topic.lastSentUpdateId) {
        const decision = this.faults.armed ? this.faults.depthFlush(topic.name) : 'send';
        if (decision === 'stall') continue;
        topic.lastSentUpdateId = market.updateId;
        if (decision === 'gap') continue;
        const book = this.engine.depth(market.pair, topic.stream.levels);
        if (book !== undefined) this.publish(topic, partialDepthJson(market, book.lastUpdateId, book.bids, book.asks));
      }
    }
  }

  /** Sends one event to every subscriber, raw or wrapped as the connection wants it. */
  private publish(topic: Topic, data: string): void {
    let wrapped: string | undefined;
    for (const client of topic.subscribers) {
      const text = client.combined ? (wrapped ??= `${topic.wrapperHead}${data}}`) : data;
      if (this.faults.armed) {
        const decision = this.faults.beforeSend(topic.name);
        if (decision === 'drop-connection') {
          client.socket.drop();
          continue;
        }
        if (decision === 'silence-connection') {
          client.socket.silence();
          continue;
        }
      }
      client.socket.send(text);
    }
  }
}

/** A path segment decoded; a malformed escape (`/ws/%`) is a name no stream has, so it is ignored like one. */
function decodedName(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

/** A transaction's trades split into runs with one aggregate id. */
function byAggregate(trades: readonly Trade[]): Trade[][] {
  const out: Trade[][] = [];
  for (const t of trades) {
    const last = out[out.length - 1];
    if (last !== undefined && (last[0] as Trade).aggId === t.aggId) last.push(t);
    else out.push([t]);
  }
  return out;
}
