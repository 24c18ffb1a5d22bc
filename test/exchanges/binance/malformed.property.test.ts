import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedDataError } from '../../../src/core/json.js';
import * as parse from '../../../src/exchanges/binance/parse.js';
import { runs, yieldToWorker } from '../../support/soak.js';
import { SYMBOLS, fixture } from './support.js';

/** Every parser, on one input. */
const PARSERS: Record<string, (input: unknown) => parse.ParseResult<unknown>> = {
  exchangeInfo: (x) => parse.parseExchangeInfo(x),
  executionReport: (x) => parse.parseExecutionReport(x, SYMBOLS),
  order: (x) => parse.parseOrder(x, SYMBOLS),
  orderAck: (x) => parse.parseOrderAck(x, SYMBOLS),
  orderList: (x) => parse.parseOrderList(x, SYMBOLS),
  myTrades: (x) => parse.parseMyTrades(x, SYMBOLS, () => 'vk-1'),
  account: (x) => parse.parseAccount(x),
  accountPosition: (x) => parse.parseAccountPosition(x),
  balanceUpdate: (x) => parse.parseBalanceUpdate(x),
  depthSnapshot: (x) => parse.parseDepthSnapshot(x),
  depthUpdate: (x) => parse.parseDepthUpdate(x, SYMBOLS),
  publicTrade: (x) => parse.parsePublicTrade(x, SYMBOLS),
  streamMessage: (x) => parse.parseStreamMessage(x),
  wsApiMessage: (x) => parse.parseWsApiMessage(x),
  userDataEvent: (x) => parse.parseUserDataEvent(x, SYMBOLS),
  subscribeResult: (x) => parse.parseSubscribeResult(x),
};

/** A sample of each shape, from the reference, to mutate. */
const SAMPLES: Array<[string, unknown]> = [
  ['exchangeInfo', fixture('exchange-info')],
  ['executionReport', fixture('execution-report-new')],
  ['executionReport', (fixture('user-stream-market-expired') as Array<{ event: unknown }>)[1]!.event],
  ['order', fixture('order-full')],
  ['order', fixture('order-query')],
  ['myTrades', fixture('my-trades')],
  ['account', fixture('account')],
  ['accountPosition', fixture('outbound-account-position')],
  ['balanceUpdate', fixture('balance-update')],
  ['depthSnapshot', fixture('depth-snapshot')],
  ['depthUpdate', fixture('depth-update')],
  ['publicTrade', fixture('trade')],
  ['wsApiMessage', fixture('ws-api-banned')],
];

function checkResult(result: parse.ParseResult<unknown>): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    expect(['malformed', 'unknown_symbol', 'unsupported']).toContain(result.reason);
    expect(result.error).toBeInstanceOf(MalformedDataError);
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

/** `value` with the leaf at `path` replaced by `replacement` (or removed when it is undefined). */
function mutate(value: unknown, pick: number, replacement: unknown): unknown {
  const paths: Array<Array<string | number>> = [];
  const walk = (v: unknown, path: Array<string | number>) => {
    if (path.length > 0) paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  if (paths.length === 0) return replacement;
  const path = paths[pick % paths.length]!;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let cur = copy;
  for (const key of path.slice(0, -1)) cur = cur[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (replacement === undefined && !Array.isArray(cur)) delete cur[last];
  else cur[last] = replacement;
  return copy;
}

describe('parsers on untrusted input', () => {
  it('never throw on arbitrary JSON: a value or a typed failure', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (input) => {
        await yieldToWorker();
        for (const run of Object.values(PARSERS)) checkResult(run(input));
      }),
      { numRuns: runs(150, 20_000) },
    );
  });

  it('never throw on a documented payload with one field changed (removed, retyped, garbage)', async () => {
    const replacement = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.constantFrom('-1', '1e400', 'NaN', '', '0', 'BTCUSDT', 'TRADE', 'CANCELED'),
      fc.jsonValue(),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SAMPLES), fc.nat(), replacement, async ([name, sample], pick, value) => {
        await yieldToWorker();
        const input = mutate(sample, pick, value);
        for (const [parser, run] of Object.entries(PARSERS)) {
          const result = run(input);
          checkResult(result);
          if (parser === name && result.ok) expect(result.value).toBeDefined();
        }
      }),
      { numRuns: runs(300, 50_000) },
    );
  });
});
