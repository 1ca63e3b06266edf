/** Disruption controller defaults and names (`pkg/controller/disruption`, `policy/v1`). */

/**
 * How long a pod the eviction API put in `status.disruptedPods` is expected to take to be
 * deleted (`DeletionTimeout`, 2 min); it does not count as healthy meanwhile, and is dropped from
 * the map after it.
 */
export const deletionTimeoutMs = 2 * 60_000;

/** A `DisruptionTarget=True` condition on a pod not deleted after this long is reset (2 min). */
export const stalePodDisruptionTimeoutMs = 2 * 60_000;

/** The event source of the controller's events. */
export const disruptionComponent = 'controllermanager';

/** The PDB condition and its reasons (`policy/v1`). */
export const disruptionAllowedCondition = 'DisruptionAllowed';
export const reasons = {
  sufficientPods: 'SufficientPods',
  insufficientPods: 'InsufficientPods',
  syncFailed: 'SyncFailed',
} as const;

/** The pod condition the eviction API and the taint manager set (`v1.DisruptionTarget`). */
export const disruptionTargetCondition = 'DisruptionTarget';

/** The DisruptionTarget reason the kubelet sets; such conditions are never stale. */
export const terminationByKubeletReason = 'TerminationByKubelet';
