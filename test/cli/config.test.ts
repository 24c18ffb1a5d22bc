import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, loadSettings, parseConfigText, validateConfig } from '../../src/cli/config/load.js';
import { DEFAULT_SETTINGS, settingsFrom } from '../../src/cli/config/schema.js';
import { tempDir } from '../support/tmp.js';

function problems(text: string): string[] {
  try {
    validateConfig(parseConfigText(text, 'bot.yaml'), 'bot.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return [...(err as ConfigError).problems];
  }
  throw new Error('the config was accepted');
}

describe('config file', () => {
  let tmp: ReturnType<typeof tempDir> | undefined;
  afterEach(() => tmp?.cleanup());

  it('reads YAML with exact decimals whether quoted or not', () => {
    const config = validateConfig(
      parseConfigText(
        [
          'strategy: market-making',
          'marketMaking:',
          '  tradingPair: ETH-USDT',
          '  orderAmount: 0.1000000000000000055511151231257827', // more digits than a float holds
          '  spread: "0.002"',
          '  maxOrderAgeMs: 20000',
          '  orderType: LIMIT',
          'exchange: { url: "http://127.0.0.1:8090/", simSeed: 7 }',
          'view: { depth: 3 }',
        ].join('\n'),
        'bot.yaml',
      ),
      'bot.yaml',
    );
    const s = settingsFrom(config);
    expect(s.marketMaking.orderAmount.toString()).toBe('0.1000000000000000055511151231257827');
    expect(s.marketMaking.spread.toString()).toBe('0.002');
    expect(s.marketMaking.tradingPair).toBe('ETH-USDT');
    expect(s.marketMaking.orderType).toBe('LIMIT');
    expect(s.marketMaking.maxPosition).toBe(DEFAULT_SETTINGS.marketMaking.maxPosition);
    expect(s.exchange).toEqual({ url: 'http://127.0.0.1:8090', simSeed: 7 });
    expect(s.view).toEqual({ ...DEFAULT_SETTINGS.view, depth: 3 });
  });

  it('reads JSON the same way', () => {
    const config = validateConfig(parseConfigText('{"marketMaking": {"spread": 0.0005, "skew": 0}}', 'bot.json'), 'bot.json');
    expect(settingsFrom(config).marketMaking.spread.toString()).toBe('0.0005');
    expect(settingsFrom(config).marketMaking.skew.toString()).toBe('0');
  });

  it('names the field and what is allowed for every mistake', () => {
    expect(problems('marketMaking:\n  spread: 2\n  orderAmount: abc\n  tradingPair: btcusdt\n  orderType: MARKET\n')).toEqual([
      'marketMaking.tradingPair: must be a trading pair BASE-QUOTE in capitals (such as BTC-USDT), got "btcusdt"',
      'marketMaking.orderAmount: must be a decimal number above 0 (such as "0.001"), got "abc"',
      'marketMaking.spread: must be a decimal number above 0 and below 1 (such as "0.001"), got 2',
      'marketMaking.orderType: must be one of LIMIT_MAKER, LIMIT, got "MARKET"',
    ]);
    expect(problems('marketMaking:\n  spraed: 0.1\n')).toEqual([
      'marketMaking: unknown field spraed; allowed: tradingPair, orderAmount, spread, refreshTolerance, maxOrderAgeMs, orderType, maxPosition, skew, cancelTimeoutMs',
    ]);
    expect(problems('strategy: grid\n')).toEqual(['strategy: must be one of market-making, got "grid"']);
    expect(problems('bot:\n  tickIntervalMs: 0.5\n')).toEqual(['bot.tickIntervalMs: must be a whole number from 1 to 86400000 milliseconds, got "0.5"']);
    expect(problems('exchange:\n  url: ftp://x\n')).toEqual(['exchange.url: must be an http:// or https:// address such as http://127.0.0.1:8090, got "ftp://x"']);
    expect(problems('view: 5\n')[0]).toMatch(/^view: must be a section with the fields refreshMs, depth, recentFills, statusEveryMs, got 5$/);
    expect(problems('- a\n- b\n')[0]).toMatch(/^must be a section with the fields strategy, marketMaking, .*got a list$/);
    expect(problems('simulator:\n  activity: yes please\n')).toEqual(['simulator.activity: must be true or false, got "yes please"']);
    expect(problems('marketMaking:\n  spread:\n')).toEqual(['marketMaking.spread: must be a decimal number above 0 and below 1 (such as "0.001"), got null (an empty value)']);
  });

  it('reports syntax errors and unreadable files with the file name', () => {
    expect(() => parseConfigText('a: [1, 2', 'bot.yaml')).toThrow(/^bot\.yaml: not valid YAML or JSON/);
    expect(() => parseConfigText('a: 1\na: 2\n', 'bot.yaml')).toThrow(/not valid YAML or JSON: .*unique/i);
    expect(() => loadConfigFile('/nonexistent/bot.yaml')).toThrow(/^\/nonexistent\/bot\.yaml: cannot be read \(ENOENT\)$/);
  });

  it('loads a file, and gives the defaults without one', () => {
    tmp = tempDir();
    const file = `${tmp.path}/bot.yaml`;
    writeFileSync(file, 'bot:\n  dataDir: ./elsewhere\n');
    expect(loadSettings(file).bot.dataDir).toBe('./elsewhere');
    expect(loadSettings(undefined)).toEqual(DEFAULT_SETTINGS);
  });
});
