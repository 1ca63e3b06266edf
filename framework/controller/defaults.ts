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

/**
 * How often every cached object is reconciled again even without a change (controller-runtime
 * `SyncPeriod` default 10 h), stretched by up to 10 % jitter per controller so controllers that
 * started together do not resync together.
 */
export const defaultSyncPeriodMs = 10 * 60 * 60 * 1000;

/** The jitter factor of {@link defaultSyncPeriodMs}. */
export const syncPeriodJitter = 0.1;
