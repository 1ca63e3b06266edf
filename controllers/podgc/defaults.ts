/** PodGC defaults (upstream `pkg/controller/podgc`). */

/** How often the pods are examined (`gcCheckPeriod` 20 s). */
export const gcCheckPeriodMs = 20_000;

/** How long a node must stay missing before its pods are deleted (`quarantineTime` 40 s). */
export const quarantineTimeMs = 40_000;

/** The taint that lets terminating pods on a not-ready node be force-deleted. */
export const outOfServiceTaint = 'node.kubernetes.io/out-of-service';

/** The DisruptionTarget condition of pods deleted because their node is gone. */
export const orphanedPodCondition = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByPodGC',
  message: 'PodGC: node no longer exists',
} as const;
