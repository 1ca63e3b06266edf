/** Job controller defaults and names (`pkg/controller/job`, `batch/v1`). */

/** Workers (`--concurrent-job-syncs`). */
export const defaultConcurrentSyncs = 5;

/** Pod events and status changes are batched into one sync per Job this often (`syncJobBatchPeriod`). */
export const syncJobBatchPeriodMs = 1000;

/** Retry backoff of a failing sync: 1 s doubling to 1 min (`DefaultJobApiBackOff`, `MaxJobApiBackOff`). */
export const defaultJobApiBackOffMs = 1000;
export const maxJobApiBackOffMs = 60_000;

/**
 * Delay before re-creating a failed pod: 10 s, doubling per consecutive failure
 * (`DefaultJobPodFailureBackOff`). The cap is upstream's code value, 10 min
 * (`MaxJobPodFailureBackOff`); the Kubernetes docs still say six minutes.
 */
export const defaultJobPodFailureBackOffMs = 10_000;
export const maxJobPodFailureBackOffMs = 10 * 60_000;

/** Most pod UIDs in each `status.uncountedTerminatedPods` list (`MaxUncountedPods`). */
export const maxUncountedPods = 500;

/** Most pods created or deleted in one sync (`MaxPodCreateDeletePerSync`). */
export const maxPodCreateDeletePerSync = 500;

/** The event source of the controller's events. */
export const jobComponent = 'job-controller';

/** The Job controller's own `spec.managedBy` value. */
export const jobControllerName = 'kubernetes.io/job-controller';

/** Finalizer every Job pod carries until the controller counted it. */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';

/** Annotation (and label) with an Indexed Job pod's completion index. */
export const jobCompletionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const jobIndexFailureCountAnnotation = 'batch.kubernetes.io/job-index-failure-count';
export const jobIndexIgnoredFailureCountAnnotation =
  'batch.kubernetes.io/job-index-ignored-failure-count';
export const completionIndexEnvName = 'JOB_COMPLETION_INDEX';

/** Condition reasons (`batch/v1`). */
export const jobReasons = {
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  podFailurePolicy: 'PodFailurePolicy',
  maxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  failedIndexes: 'FailedIndexes',
  successPolicy: 'SuccessPolicy',
  completionsReached: 'CompletionsReached',
} as const;
