/** Namespace controller defaults (upstream `pkg/controller/namespace`). */

/** `--concurrent-namespace-syncs` 10. */
export const defaultNamespaceWorkers = 10;

/** `--namespace-sync-period` 5 min: terminating namespaces are looked at again this often. */
export const namespaceResyncMs = 5 * 60 * 1000;

/**
 * Delay before a namespace event is processed (`namespaceDeletionGracePeriod` 5 s), so other API
 * servers observe the deletion and last-minute creations inside the namespace land first.
 */
export const namespaceDeletionGracePeriodMs = 5000;

/** The finalizer the namespace controller owns in `spec.finalizers`. */
export const finalizerKubernetes = 'kubernetes';

/**
 * Seconds to wait for content whose finalizers hold it (`finalizerEstimateSeconds` 15); a sync
 * that found such content is retried after `estimate / 2 + 1` seconds.
 */
export const finalizerEstimateSeconds = 15;

/** Per-namespace retry backoff: 5 ms doubling up to 60 s (`nsControllerRateLimiter`). */
export const retryBaseDelayMs = 5;
export const retryMaxDelayMs = 60_000;

/** Default `terminationGracePeriodSeconds` of a pod (used when a pod leaves it unset). */
export const defaultTerminationGracePeriodSeconds = 30;
