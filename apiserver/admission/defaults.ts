/**
 * Defaults of the admission plugins, with upstream's values and units in the names.
 */

/** `DefaultServiceAccountName`: the service account a pod gets when it names none. */
export const defaultServiceAccountName = 'default';

/** `DefaultAPITokenMountPath`: where every container mounts the service account token volume. */
export const serviceAccountTokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';

/** `ServiceAccountVolumeName`: prefix of the projected token volume (`kube-api-access-xxxxx`). */
export const serviceAccountVolumePrefix = 'kube-api-access';

/** `WarnOnlyBoundTokenExpirationSeconds` (1 h + 7 s): expiry of the projected token. */
export const boundTokenExpirationSeconds = 3607;

/** `ProjectedVolumeSourceDefaultMode` (0644). */
export const projectedVolumeDefaultMode = 0o644;

/** `MirrorPodAnnotationKey`: kubelets create mirror pods with it. */
export const mirrorPodAnnotation = 'kubernetes.io/config.mirror';

/** `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`. */
export const defaultNotReadyTolerationSeconds = 300;
export const defaultUnreachableTolerationSeconds = 300;

/** The annotation LimitRanger writes on pods whose resources it defaulted. */
export const limitRangerAnnotation = 'kubernetes.io/limit-ranger';

/** `scheduling.DefaultPriorityWhenNoDefaultClassExists`. */
export const defaultPriorityWhenNoDefaultClass = 0;

/** Storage class annotations marking the default class (GA and beta). */
export const defaultStorageClassAnnotations = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

/** The namespace of node heartbeat leases. */
export const nodeLeaseNamespace = 'kube-node-lease';
