/**
 * Defaults shared by the reference controllers, each with the kube-controller-manager value it
 * mirrors (`pkg/controller/controller_utils.go`).
 */

/** Batches of pod creations start at this size and double (`SlowStartInitialBatchSize`). */
export const slowStartInitialBatchSize = 1;

/** The index, on pods and ReplicaSets, of the controller's UID (orphans: `<ns>/<orphan>`). */
export const controllerUIDIndex = 'kuberx.io/controller-uid';

/** The value {@link controllerUIDIndex} gives orphans of a namespace, after `<namespace>/`. */
export const orphanIndexSuffix = '<orphan>';

/** The pod annotation the ReplicaSet controller ranks deletions by (`PodDeletionCost`). */
export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

/** The status cause of a create refused because the namespace is terminating. */
export const namespaceTerminatingCause = 'NamespaceTerminating';

/** Retries of a status write after a conflict, re-reading the object (`statusUpdateRetries`). */
export const statusUpdateRetries = 1;

/** Event reasons of pod creations and deletions (`controller_utils.go`). */
export const podEventReasons = {
  failedCreate: 'FailedCreate',
  successfulCreate: 'SuccessfulCreate',
  failedDelete: 'FailedDelete',
  successfulDelete: 'SuccessfulDelete',
} as const;

/** `names.MaxGeneratedNameLength`: a generated name leaves room for its 5-character suffix. */
export const maxGeneratedNameLength = 63 - 5;
