/**
 * venuekit's network layer, exchange-agnostic: a connector supplies its signer, error mapper, rate
 * limits and usage headers; everything else lives here once.
 */
export { monotonicClock, sleep, type NetClock, type Cancel } from './clock.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export {
  compileRateLimits,
  type RatePool,
  type EndpointWeights,
  type RateLimitConfig,
} from './rate-limits.js';
export {
  RateLimiter,
  type RatePermit,
  type AcquireOptions,
  type PoolUsage,
  type RateLimiterOptions,
} from './rate-limiter.js';
export { ServerClockError, TimeSynchronizer, type TimeSynchronizerOptions, type TimeSample, type ServerTimeSource } from './time-sync.js';
export type {
  HttpMethod,
  Params,
  ResponseHeaders,
  RestRequest,
  PreparedRequest,
  RestResponse,
  RequestInfo,
  RequestSigner,
  ErrorMapper,
  ReportedUsage,
  UsageReader,
} from './rest-types.js';
export { encodeParams } from './encode.js';
export { usageFromHeaders } from './usage-headers.js';
export {
  parseRetryAfter,
  errorForResponse,
  errorForTransport,
  DEFAULT_RETRY_AFTER,
  type RetryAfterDefaults,
} from './http-errors.js';
export { RestClient, type RestClientOptions, type ResponseOptions, type ServerClock } from './rest-client.js';
export { type WsErrorMapper, type WsUsageReader } from './ws-requests.js';
export {
  WsClient,
  type WsClientOptions,
  type WsClientEvents,
  type WsSubscription,
  type WsRequestOptions,
  type WsState,
} from './ws-client.js';
