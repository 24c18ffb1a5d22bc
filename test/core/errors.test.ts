import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  ExchangeUnavailableError,
  InvalidOrderError,
  NetworkError,
  OrderNotFoundError,
  RateLimitedError,
  RequestTimeoutError,
  UnknownOrderStatusError,
  isOutcomeUnknown,
  isRetryable,
} from '../../src/core/errors.js';
import { scrubSecrets } from '../../src/core/secrets.js';

describe('error taxonomy', () => {
  it('says which errors are retryable', () => {
    expect(isRetryable(new NetworkError('reset'))).toBe(true);
    expect(isRetryable(new RateLimitedError('429', 1000))).toBe(true);
    expect(isRetryable(new AuthenticationError('bad key', { exchangeCode: -2015 }))).toBe(false);
    expect(isRetryable(new InvalidOrderError('too small', 'min_notional'))).toBe(false);
    expect(isRetryable(new Error('plain'))).toBe(false);
  });

  it('treats only a definite answer as a known create outcome', () => {
    expect(isOutcomeUnknown(new RequestTimeoutError('t'))).toBe(true);
    expect(isOutcomeUnknown(new NetworkError('n'))).toBe(true);
    expect(isOutcomeUnknown(new ExchangeUnavailableError('503'))).toBe(true);
    expect(isOutcomeUnknown(new UnknownOrderStatusError('-1007'))).toBe(true);
    expect(isOutcomeUnknown(new InvalidOrderError('x'))).toBe(false);
    expect(isOutcomeUnknown(new OrderNotFoundError('-2013'))).toBe(false);
  });

  it('keeps the class name, code and cause', () => {
    const cause = new Error('socket hang up');
    const err = new NetworkError('request failed', { cause, exchangeCode: 'ECONNRESET' });
    expect(err.name).toBe('NetworkError');
    expect(err.cause).toBe(cause);
    expect(err.exchangeCode).toBe('ECONNRESET');
  });
});

describe('scrubSecrets', () => {
  it('removes secrets and signatures from free text', () => {
    const s = scrubSecrets('GET /api?x=1&signature=abcdef0123 key=SECRETKEY', ['SECRETKEY']);
    expect(s).not.toContain('abcdef0123');
    expect(s).not.toContain('SECRETKEY');
  });
});
