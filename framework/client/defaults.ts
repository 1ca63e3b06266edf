/** Client defaults, with the upstream value each mirrors. */

/** Retries of a request answered 429/5xx with `Retry-After` (client-go `maxRetries` = 10). */
export const defaultMaxRetries = 10;

/**
 * How long resolved credentials and TLS material from the kubeconfig are reused before being read
 * again (client-go re-reads token files every minute). A 401 forces a refresh at once.
 */
export const defaultAuthCacheMs = 60_000;

/** Sent as `User-Agent`. */
export const defaultUserAgent = 'kuberx-framework/0.1.0';

/** The field manager of writes when none is given (server-side apply needs one). */
export const defaultFieldManager = 'kuberx';

/** Minimum time between two discovery refreshes caused by unknown kinds. */
export const defaultDiscoveryRefreshMs = 1000;

/** Page size of paged lists (client-go `tools/pager` `defaultPageSize`). */
export const defaultPageSize = 500;
