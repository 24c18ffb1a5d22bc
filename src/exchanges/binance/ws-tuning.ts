import type { WsClientOptions } from '../../net/ws-client.js';
import type { BinanceLimitId } from './constants.js';

/**
 * Connection tuning the stream sources pass to their WebSocket client (ping and idle intervals,
 * timeouts, reconnect backoff). Every interval is an option, so tests run with small ones.
 */
export type BinanceWsTuning = Pick<
  WsClientOptions<BinanceLimitId>,
  'pingIntervalMs' | 'idleTimeoutMs' | 'connectTimeoutMs' | 'requestTimeoutMs' | 'closeTimeoutMs' | 'reconnect' | 'random'
>;
