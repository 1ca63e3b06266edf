/**
 * Limits and overload protection: the max-in-flight and request-timeout filters, the per-client
 * watch bound, and the object-size storage guard. Filters go in the server's `filters` option in
 * this order, after authentication: `requestTimeoutFilter`, `watchLimitFilter`,
 * `maxInFlightFilter` (the timeout outermost, as upstream).
 */
export {
  maxInFlightFilter,
  writeTooManyRequests,
  type InFlightStats,
  type MaxInFlightOptions,
} from './inflight.js';
export {
  requestTimeoutFilter,
  parseGoDuration,
  requestTimeoutError,
  type RequestTimeoutOptions,
} from './timeout.js';
export { watchLimitFilter, clientKey, type WatchLimitOptions } from './watches.js';
export { SizeLimitedStorage } from './objectsize.js';
export { ForwardingStorage } from './forwarding.js';
export { isLongRunning } from './longrunning.js';
export { checkNestingDepth } from './depth.js';
export {
  recommendedServerOptions,
  type BindableServer,
  type RecommendedFlags,
  type RecommendedOptions,
} from './recommended.js';
export * as limitsDefaults from './defaults.js';
