/** Garbage collector defaults (upstream `pkg/controller/garbagecollector`). */

/** `--concurrent-gc-syncs` 20: workers of attemptToDelete and of attemptToOrphan each. */
export const defaultGCWorkers = 20;

/** How often deletable resources are re-discovered (new CRDs get monitors): 30 s. */
export const defaultDiscoveryResyncMs = 30_000;

/** How long starting monitors may take to sync before the GC proceeds anyway. */
export const defaultMonitorSyncTimeoutMs = 30_000;

/** Size of the cache of owners known to be absent (`absentOwnerCache`, 500 entries). */
export const absentOwnerCacheSize = 500;

/** Resources the GC never watches (`DefaultIgnoredResources`): events, core and events.k8s.io. */
export const ignoredResources: ReadonlySet<string> = new Set(['/events', 'events.k8s.io/events']);

/** `metav1.FinalizerOrphanDependents`. */
export const orphanFinalizer = 'orphan';

/** `metav1.FinalizerDeleteDependents`. */
export const foregroundFinalizer = 'foregroundDeletion';

/** Attempts of a read-modify-patch before giving up on conflicts (`retry.DefaultBackoff.Steps`). */
export const conflictRetries = 5;
