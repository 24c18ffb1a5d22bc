/**
 * `npm run bench:orderbook`: venuekit's OrderBook against ccxt's websocket OrderBook, side by side
 * in one run, on the same generated Binance diff streams (bench/support/book-stream.ts).
 *
 * The stream is cut into chunks of 100 diffs, kept as JSON text (the wire). For each chunk, each
 * book gets its own freshly JSON.parsed copy, as in live use where a message is applied right
 * after it is parsed, and the timer covers each library's own per-message path (sequence check,
 * then every price and amount string parsed and applied; see support/contenders.ts) for the 100
 * diffs, plus best bid/ask and the top 20. JSON.parse itself is not in the ratio: it is the
 * transport's work and the same for both (its own rate, and the ratio with it counted on both
 * sides, are printed after). The two books take turns chunk by chunk, so a
 * busy neighbour on the machine slows both alike; each round replays the whole stream into fresh
 * books, and the median round is reported with the spread.
 *
 * Before timing, a verification pass checks every query answer of both books against the
 * generator's reference model (venuekit: the exchange's exact strings; ccxt: equal as floats).
 *
 * Options: --rounds N (default 7), --quick (a short stream, for a smoke run), --feed book (time
 * the two books alone, without each library's per-message handling: see FeedLevel).
 */
import os from 'node:os';
import { generateStream, type DepthUpdate, type GeneratedStream, type StreamOptions, type WireLevel } from './support/book-stream.js';
import { CcxtContender, VenuekitContender, type Contender, type FeedLevel, type QuerySink } from './support/contenders.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : quick ? 3 : 7;
const feedArg = args.indexOf('--feed');
const feed: FeedLevel = feedArg >= 0 && args[feedArg + 1] === 'book' ? 'book' : 'handler';
const CHUNK = 100;
const TOP_N = 20;

const common = {
  seed: 20260101,
  diffs: quick ? 2_000 : 20_000,
  deleteShare: 0.1,
  insertShare: 0.1,
  maxLevelsPerDiff: 20,
  meanDepth: 10,
  deepShare: 0.03,
  queryEvery: CHUNK,
  topN: TOP_N,
} satisfies Partial<StreamOptions>;

const streams: { name: string; options: StreamOptions }[] = [
  { name: '5,000 levels per side, changes near the top (mean depth 10), 3% anywhere', options: { ...common, levels: 5000 } },
  { name: '100 levels per side, same mix', options: { ...common, seed: common.seed + 1, levels: 100 } },
];

/** The wire: chunks of CHUNK diffs as JSON text. */
function wire(stream: GeneratedStream): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < stream.diffs.length; i += CHUNK) chunks.push(JSON.stringify(stream.diffs.slice(i, i + CHUNK)));
  return chunks;
}

async function verify<L>(contender: Contender<L>, stream: GeneratedStream, chunks: string[]): Promise<{ checks: number; exact: boolean }> {
  await contender.prepare(stream);
  let exact = true;
  const same = (got: L | undefined, want: WireLevel | undefined, where: string): void => {
    const fail = (): never => {
      throw new Error(`${contender.name}: ${where}: got ${JSON.stringify(got)}, reference ${JSON.stringify(want)}`);
    };
    if (got === undefined || want === undefined) {
      if (got !== want) fail();
      return;
    }
    const [price, amount] = contender.level(got);
    if (price !== Number(want[0]) || amount !== Number(want[1])) fail();
    if (!contender.exact(got, want)) exact = false;
  };
  chunks.forEach((text, q) => {
    contender.applyChunk(JSON.parse(text) as DepthUpdate[], TOP_N, (bestBid, bestAsk, bids, asks) => {
      const want = stream.expected[q]!;
      const where = `query ${q} (after diff ${want.afterDiff})`;
      same(bestBid, want.bids[0], `${where} best bid`);
      same(bestAsk, want.asks[0], `${where} best ask`);
      if (bids.length !== want.bids.length || asks.length !== want.asks.length) throw new Error(`${contender.name}: ${where}: top ${TOP_N} length`);
      bids.forEach((level, i) => same(level, want.bids[i], `${where} bid ${i}`));
      asks.forEach((level, i) => same(level, want.asks[i], `${where} ask ${i}`));
    });
  });
  if (chunks.length !== stream.expected.length) throw new Error(`${chunks.length} chunks, reference has ${stream.expected.length} query points`);
  return { checks: chunks.length, exact };
}

/**
 * One round: both books replay the whole stream, taking turns chunk by chunk. Returns levels/second
 * for each, and for JSON.parse alone (each chunk's first parse is timed on its own: the same work
 * for both books, outside their timers).
 */
async function round(books: [Contender<unknown>, Contender<unknown>], stream: GeneratedStream, chunks: string[]): Promise<[number, number, number]> {
  const ns = [0, 0, 0];
  let sink = 0;
  const onQuery: QuerySink<unknown> = (bestBid, bestAsk, bids, asks) => {
    sink += (bestBid ? 1 : 0) + (bestAsk ? 1 : 0) + bids.length + asks.length;
  };
  for (const b of books) await b.prepare(stream);
  chunks.forEach((text, c) => {
    for (let turn = 0; turn < 2; turn++) {
      const k = (c + turn) % 2;
      const parseStart = process.hrtime.bigint();
      const diffs = JSON.parse(text) as DepthUpdate[];
      if (turn === 0) ns[2]! += Number(process.hrtime.bigint() - parseStart);
      const start = process.hrtime.bigint();
      books[k]!.applyChunk(diffs, TOP_N, onQuery);
      ns[k]! += Number(process.hrtime.bigint() - start);
    }
  });
  if (sink === 0) throw new Error('queries returned nothing');
  return [stream.levelChanges / (ns[0]! / 1e9), stream.levelChanges / (ns[1]! / 1e9), stream.levelChanges / (ns[2]! / 1e9)];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const millions = (x: number): string => `${(x / 1e6).toFixed(2)} M`;

const venuekit = new VenuekitContender(feed);
const ccxtBook = new CcxtContender(feed);
console.log(`order book benchmark: ${venuekit.name} vs ${ccxtBook.name}`);
console.log(
  `node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os.loadavg()[0]!.toFixed(1)}; ${rounds} rounds, books alternating every ${CHUNK} diffs`,
);
let failed = false;
for (const { name, options } of streams) {
  const stream = generateStream(options);
  const chunks = wire(stream);
  const deletionShare = ((100 * stream.deletions) / stream.levelChanges).toFixed(1);
  console.log(
    `\nstream: ${name}\n  ${stream.diffs.length} diffs, ${stream.levelChanges} level changes (${deletionShare}% deletions); best bid/ask + top ${TOP_N} every ${CHUNK} diffs`,
  );
  const ours = await verify(venuekit, stream, chunks);
  const theirs = await verify(ccxtBook, stream, chunks);
  console.log(
    `  verified: all ${ours.checks} + ${theirs.checks} query answers equal the reference model` +
      ` (venuekit returns the exchange's exact strings: ${ours.exact ? 'yes' : 'NO'}; ccxt: equal as floats)`,
  );
  if (!ours.exact) failed = true;
  await round([venuekit, ccxtBook], stream, chunks); // warm-up
  const ourRates: number[] = [];
  const theirRates: number[] = [];
  const parseRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const [v, c, p] = await round([venuekit, ccxtBook], stream, chunks);
    ourRates.push(v);
    theirRates.push(c);
    parseRates.push(p);
  }
  for (const [who, xs] of [
    ['venuekit', ourRates],
    ['ccxt', theirRates],
  ] as const) {
    console.log(`  ${who.padEnd(8)} ${millions(median(xs))} levels/s (median round; range ${millions(Math.min(...xs))}–${millions(Math.max(...xs))})`);
  }
  const ratios = ourRates.map((v, i) => v / theirRates[i]!);
  console.log(
    `  ratio ${median(ratios).toFixed(1)}x venuekit/ccxt (median round; rounds ${Math.min(...ratios).toFixed(1)}x–${Math.max(...ratios).toFixed(1)}x; target 3.0x)`,
  );
  // JSON.parse is the transport's work and the same for both; shown so the whole message cost is on record.
  const withParse = ourRates.map((v, i) => (1 / theirRates[i]! + 1 / parseRates[i]!) / (1 / v + 1 / parseRates[i]!));
  console.log(
    `  JSON.parse alone ${millions(median(parseRates))} levels/s (not timed above); counting it on both sides the ratio is ${median(withParse).toFixed(1)}x`,
  );
}
if (failed) process.exitCode = 1;
