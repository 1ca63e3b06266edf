/** Deployment controller defaults and names (`pkg/controller/deployment`, `apps/v1`). */

/** Workers (`--concurrent-deployment-syncs`). */
export const defaultConcurrentSyncs = 5;

/** Retries of a failing sync before the key is dropped until its next event (`maxRetries`). */
export const maxRetries = 15;

/** The revision-history annotation is trimmed from the oldest entry past this length. */
export const maxRevHistoryLengthInChars = 2000;

/** The event source of the controller's events. */
export const deploymentComponent = 'deployment-controller';

/** Label (on ReplicaSets, their selectors and pods) naming the template they run. */
export const podTemplateHashLabel = 'pod-template-hash';

/** Annotations the controller reads and writes (`deployment_util.go`). */
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** The annotation the removed server-side rollback (`spec.rollbackTo`) round-trips through. */
export const deprecatedRollbackTo = 'deprecated.deployment.rollback.to';
export const lastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** Condition reasons (`deployment_util.go`). */
export const reasons = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** Event reasons of the legacy server-side rollback. */
export const rollbackReasons = {
  revisionNotFound: 'DeploymentRollbackRevisionNotFound',
  templateUnchanged: 'DeploymentRollbackTemplateUnchanged',
  done: 'DeploymentRollback',
} as const;

/** `math.MaxInt32`: progressDeadlineSeconds / revisionHistoryLimit meaning "never". */
export const maxInt32 = 2147483647;
