/**
 * Defaults and limits of the catalogue of built-in types, with upstream's names and units.
 */

/** `core.MaxSecretSize`: total bytes of a Secret's or ConfigMap's data (1 MiB). */
export const maxSecretSizeBytes = 1024 * 1024;

/** `TotalAnnotationSizeLimitB`: total bytes of an object's annotation keys and values (256 KiB). */
export const totalAnnotationSizeLimitBytes = 256 * 1024;

/** Default Deployment/StatefulSet/DaemonSet `revisionHistoryLimit`. */
export const defaultRevisionHistoryLimit = 10;

/** Default Deployment `progressDeadlineSeconds`. */
export const defaultProgressDeadlineSeconds = 600;

/** Default pod `terminationGracePeriodSeconds`. */
export const defaultTerminationGracePeriodSeconds = 30;

/** Default Job `backoffLimit`. */
export const defaultJobBackoffLimit = 6;

/** `HighestUserDefinablePriority`: PriorityClass values above it are reserved for system classes. */
export const highestUserDefinablePriority = 1_000_000_000;

/** `SystemCriticalPriority` (2 × 10⁹). */
export const systemCriticalPriority = 2_000_000_000;

/** Max length of a CronJob name (52, so Job names with an 11-character suffix stay ≤ 63). */
export const cronJobNameMaxLength = 52;

/** events: `ReportingInstanceLengthLimit`, `ActionLengthLimit`, `ReasonLengthLimit` (128). */
export const eventFieldLengthLimit = 128;

/** Upstream kube-apiserver `--event-ttl` default: events expire 1 h after their last write. */
export const eventTTLSeconds = 3600;

/** events: `NoteLengthLimit` (1 KiB). */
export const eventNoteLengthLimit = 1024;
