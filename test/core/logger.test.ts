import { describe, expect, it } from 'vitest';
import { captureLogger } from './support/log.js';

const KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';

describe('createLogger', () => {
  it('blanks keys, secrets and signatures wherever they sit in a logged object', () => {
    const { logger, lines, text } = captureLogger('info');
    logger.info({ apiKey: KEY, apiSecret: SECRET, signature: SIGNATURE, password: SECRET }, 'top level');
    logger.info({ auth: { apiKey: KEY, apiSecret: SECRET, secret: SECRET }, params: { symbol: 'BTCUSDT', signature: SIGNATURE } }, 'one level down');
    logger.warn({ request: { headers: { 'X-MBX-APIKEY': KEY, 'Content-Type': 'application/json' } } }, 'request headers');
    logger.error({ headers: { 'x-mbx-apikey': KEY } }, 'lower-case header');

    const all = text();
    for (const secret of [KEY, SECRET, SIGNATURE]) expect(all).not.toContain(secret);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ apiKey: '[redacted]', apiSecret: '[redacted]', signature: '[redacted]', password: '[redacted]', msg: 'top level' });
    expect(lines[1]).toMatchObject({
      auth: { apiKey: '[redacted]', apiSecret: '[redacted]', secret: '[redacted]' },
      // Only the secret fields go: the rest of the object stays readable.
      params: { symbol: 'BTCUSDT', signature: '[redacted]' },
    });
    expect(lines[2]).toMatchObject({ request: { headers: { 'X-MBX-APIKEY': '[redacted]', 'Content-Type': 'application/json' } } });
    expect(lines[3]).toMatchObject({ headers: { 'x-mbx-apikey': '[redacted]' } });
  });
});
