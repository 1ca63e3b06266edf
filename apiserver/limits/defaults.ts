/**
 * Defaults of the server's limits, with upstream's values and units in the names.
 */

/** `--max-requests-inflight`: concurrent non-mutating requests (watches excluded). 0 = no limit. */
export const maxRequestsInFlight = 400;

/** `--max-mutating-requests-inflight`: concurrent mutating requests. 0 = no limit. */
export const maxMutatingRequestsInFlight = 200;

/** `--request-timeout`: non-long-running requests end with 504 after this long. */
export const requestTimeoutSeconds = 60;

/** The `Retry-After` of a 429 from the in-flight limit (upstream: 1). */
export const retryAfterSeconds = 1;

/**
 * Concurrent watches one client (user, or remote address when unauthenticated) may hold; more
 * are refused with 429. Upstream bounds watches through priority & fairness; kuberx bounds them
 * per client. 0 = no limit.
 */
export const maxWatchesPerClient = 1000;

/**
 * The largest stored object (key + value), as etcd's `--max-request-bytes` (1.5 MiB): larger
 * writes are refused with 413 before they reach the store.
 */
export const maxObjectBytes = 1.5 * 1024 * 1024;

/**
 * How deeply a request body may nest objects and arrays. Upstream's decoder stops at 10000; a
 * JavaScript server's recursive steps (serialising, cloning, merging) run out of stack far
 * sooner, so kuberx refuses deeper bodies with 400 before any of them runs. Real objects nest a
 * few dozen levels.
 */
export const maxNestingDepth = 1000;
