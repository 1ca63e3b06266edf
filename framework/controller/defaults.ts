/** Controller defaults, with the controller-runtime value each mirrors. */

/** Workers per controller (`MaxConcurrentReconciles` default 1). */
export const defaultMaxConcurrentReconciles = 1;

/** How long a starting controller waits for its caches (`CacheSyncTimeout` default 2 min). */
export const defaultCacheSyncTimeoutMs = 120_000;

/** Recover from exceptions in reconcile (`RecoverPanic` default true). */
export const defaultRecoverPanic = true;

/** Use the priority queue (`UsePriorityQueue` default true). */
export const defaultUsePriorityQueue = true;

/** How long an expectation lives before it counts as satisfied anyway (`ExpectationsTimeout`). */
export const defaultExpectationsTimeoutMs = 5 * 60 * 1000;
