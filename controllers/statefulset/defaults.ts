/** StatefulSet controller defaults and names (`pkg/controller/statefulset`, `apps/v1`). */

/** Workers (`--concurrent-statefulset-syncs`). */
export const defaultConcurrentSyncs = 5;

/** The event source of the controller's events. */
export const statefulSetComponent = 'statefulset-controller';

/** Label naming the pod (`StatefulSetPodNameLabel`), for per-pod Services. */
export const podNameLabel = 'statefulset.kubernetes.io/pod-name';

/** Label carrying the pod's ordinal (`PodIndexLabel`, on by default since 1.28). */
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

/** Label naming the ControllerRevision a pod was made from (`StatefulSetRevisionLabel`). */
export const revisionLabel = 'controller-revision-hash';

/** Most pods created or deleted in one batch of a Parallel set (`MaxBatchSize`). */
export const maxBatchSize = 500;

/** Retries of a pod update after a conflict (`retry.DefaultBackoff` steps). */
export const podUpdateAttempts = 5;

/** Retries of a status update after a conflict (`retry.DefaultRetry` steps). */
export const statusUpdateAttempts = 5;
