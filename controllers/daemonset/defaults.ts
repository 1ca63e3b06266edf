/** DaemonSet controller defaults and names (`pkg/controller/daemon`, `apps/v1`). */

/** Workers (`--concurrent-daemonset-syncs`). */
export const defaultConcurrentSyncs = 2;

/** Most pods created or deleted in one sync (`BurstReplicas`). */
export const defaultBurstReplicas = 250;

/** Back-off before a failed daemon pod on a node is deleted again: 1 s doubling to 15 min. */
export const failedPodsBackoffInitialMs = 1_000;
export const failedPodsBackoffMaxMs = 15 * 60_000;

/** The event source of the controller's events. */
export const daemonSetComponent = 'daemonset-controller';

/** Label with the template's hash on pods and revisions (`DefaultDaemonSetUniqueLabelKey`). */
export const uniqueLabelKey = 'controller-revision-hash';

/** Label with the template generation on pods (`DaemonSetTemplateGenerationKey`). */
export const templateGenerationLabel = 'pod-template-generation';

/** Annotation of the DaemonSet carrying its template generation (apps/v1). */
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';

/** Event reasons (`daemon_controller.go`). */
export const reasons = {
  selectingAll: 'SelectingAll',
  failedDaemonPod: 'FailedDaemonPod',
  succeededDaemonPod: 'SucceededDaemonPod',
} as const;

/** Taint keys the controller tolerates on every daemon pod (`AddOrUpdateDaemonPodTolerations`). */
export const taintKeys = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  unschedulable: 'node.kubernetes.io/unschedulable',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;
