/**
 * Defaults of the CRD controller, with upstream's values (apiextensions-apiserver) and units in
 * the names.
 */

/** The CRD's own API group. */
export const apiextensionsGroup = 'apiextensions.k8s.io';

/** The CRD resource. */
export const crdResource = 'customresourcedefinitions';

/** The finalizer a CRD gets on its first DELETE; removed once every instance is gone. */
export const customResourceCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

/** The field manager of the controller's status writes (upstream's loopback client). */
export const fieldManager = 'kube-apiserver';

/** While instances are being deleted, how often their remaining count is checked (upstream 5 s). */
export const instanceDeletionPollMs = 5_000;

/** How long the check waits for zero instances before reporting `InstanceDeletionCheck` (1 min). */
export const instanceDeletionTimeoutMs = 60_000;

/** First retry delay of a failed sync; doubles per failure (upstream's rate limiter: 5 ms). */
export const retryBaseDelayMs = 5;

/** Longest retry delay of a failed sync (upstream's rate limiter: 1000 s; kept lower here). */
export const retryMaxDelayMs = 30_000;
